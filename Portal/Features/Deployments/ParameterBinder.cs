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

            // A whole-value ${config:KEY} is typed per device, where the value is known (DeploymentChecks).
            if (!Fits(parameter.Type, value) && Portal.Features.FleetConfig.ConfigReference.Whole(value) is null)
            {
                return (values, $"The parameter '{parameter.Name}' must be {Describe(parameter.Type)}, not '{(parameter.Secret ? Mask : value)}'.");
            }

            values[parameter.Name] = value;
        }

        return (values, null);
    }

    /// <summary>Whether <paramref name="value"/> is of the parameter type (<c>int</c>, <c>number</c>, <c>bool</c>; anything is text).</summary>
    public static bool Fits(string type, string value) => type switch
    {
        "int" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        "number" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d),
        "bool" => value is "true" or "false",
        _ => true,
    };

    /// <summary>The typed parameters whose value is one <c>${config:KEY}</c> or <c>${secret:NAME}</c>: each device's value must be of the type.</summary>
    public static IReadOnlyList<TypedReference> TypedReferences(IReadOnlyList<AppParameter>? schema, IReadOnlyDictionary<string, string> values) =>
        [.. (schema ?? []).Where(p => p.Type is "int" or "number" or "bool" && values.TryGetValue(p.Name, out _))
            .Select(p => (p, Reference: Portal.Features.FleetConfig.ConfigReference.Whole(values[p.Name])))
            .Where(x => x.Reference is not null)
            .Select(x => new TypedReference(x.Reference!, x.p.Name, x.p.Type))];

    public static string Describe(string type) => type switch
    {
        "int" => "a whole number",
        "number" => "a number",
        "bool" => "true or false",
        _ => "text",
    };

    /// <summary>The values as they may be shown: secrets replaced by a mask.</summary>
    public static Dictionary<string, string> Masked(IReadOnlyList<AppParameter>? schema, IReadOnlyDictionary<string, string> values) =>
        values.ToDictionary(kv => kv.Key, kv => schema?.FirstOrDefault(p => p.Name == kv.Key)?.Secret == true ? Mask : kv.Value, StringComparer.Ordinal);
}

/// <summary>A typed parameter filled by config: <see cref="Parameter"/> of <see cref="Type"/> takes <see cref="Reference"/>.</summary>
public sealed record TypedReference(Portal.Features.FleetConfig.ConfigReference Reference, string Parameter, string Type);
