using System.Globalization;
using Portal.Common;
using Portal.Shared.Marketplace;

namespace Portal.Features.Deployments;

/// <summary>Pure: checks an operator's parameter values against a version's schema and fills in defaults.</summary>
public static class ParameterBinder
{
    public const string Mask = "••••••";

    public static (Dictionary<string, string> Values, string? Problem) Bind(IReadOnlyList<AppParameter>? schema, IReadOnlyDictionary<string, string>? given)
    {
        schema ??= [];
        given ??= new Dictionary<string, string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (given.Keys.FirstOrDefault(k => schema.All(p => p.Name != k)) is { } unknown)
        {
            return (values, $"This version has no parameter '{unknown}'. It takes: {(schema.Count == 0 ? "none" : string.Join(", ", schema.Select(p => p.Name)))}.");
        }

        foreach (var parameter in schema)
        {
            var value = given.TryGetValue(parameter.Name, out var v) && !string.IsNullOrEmpty(v) ? v : parameter.Default;
            if (string.IsNullOrEmpty(value))
            {
                if (parameter.Required)
                {
                    return (values, $"The parameter '{parameter.Name}' is required.");
                }

                continue;
            }

            if (value.Length > 4000 || PlainText.Problem(value, $"parameter '{parameter.Name}'", multiline: true) is not null)
            {
                return (values, PlainText.Problem(value, $"parameter '{parameter.Name}'", multiline: true) ?? $"The parameter '{parameter.Name}' can be at most 4000 characters.");
            }

            var valid = parameter.Type switch
            {
                "int" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
                "number" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d),
                "bool" => value is "true" or "false",
                _ => true,
            };
            if (!valid)
            {
                return (values, $"The parameter '{parameter.Name}' must be {Describe(parameter.Type)}, not '{(parameter.Secret ? Mask : value)}'.");
            }

            values[parameter.Name] = value;
        }

        return (values, null);
    }

    /// <summary>The values as they may be shown: secrets replaced by a mask.</summary>
    public static Dictionary<string, string> Masked(IReadOnlyList<AppParameter>? schema, IReadOnlyDictionary<string, string> values) =>
        values.ToDictionary(kv => kv.Key, kv => schema?.FirstOrDefault(p => p.Name == kv.Key)?.Secret == true ? Mask : kv.Value, StringComparer.Ordinal);

    private static string Describe(string type) => type switch
    {
        "int" => "a whole number",
        "number" => "a number",
        "bool" => "true or false",
        _ => "text",
    };
}
