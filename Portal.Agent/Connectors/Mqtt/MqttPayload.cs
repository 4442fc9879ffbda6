using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portal.Agent.Connectors.Mqtt;

/// <summary>
/// Pure: the number a payload carries. Without a path the payload is the number itself ("21.5", "true"); with one it
/// is JSON and the path walks it: property names separated by dots, array indexes in brackets
/// (<c>sensors[1].value</c>). A JSON number, a boolean (1 or 0) or a string holding a number is a value; anything
/// else is refused with a sentence that says what was found where.
/// </summary>
public static class MqttPayload
{
    public static double ReadNumber(ReadOnlySpan<byte> payload, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            var text = Encoding.UTF8.GetString(payload).Trim();
            return Number(text) ?? throw new FormatException($"The payload '{Cut(text)}' is not a number.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray());
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The payload is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var element = document.RootElement;
            foreach (var step in Steps(path))
            {
                element = step switch
                {
                    int index when element.ValueKind == JsonValueKind.Array && index < element.GetArrayLength() => element[index],
                    string name when element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) => child,
                    _ => throw new FormatException($"The payload has nothing at '{path}' (stopped at '{step}')."),
                };
            }

            return element.ValueKind switch
            {
                JsonValueKind.Number => element.GetDouble(),
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                JsonValueKind.String when Number(element.GetString()!) is { } parsed => parsed,
                _ => throw new FormatException($"The payload's '{path}' is {element.ValueKind}, not a number."),
            };
        }
    }

    private static IEnumerable<object> Steps(string path)
    {
        foreach (var part in path.TrimStart('$').TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part;
            var bracket = name.IndexOf('[', StringComparison.Ordinal);
            if (bracket != 0)
            {
                yield return bracket < 0 ? name : name[..bracket];
            }

            while (bracket >= 0)
            {
                var close = name.IndexOf(']', bracket);
                if (close < 0 || !int.TryParse(name[(bracket + 1)..close], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw new FormatException($"The path '{path}' has a bad index in '{part}'.");
                }

                yield return index;
                bracket = name.IndexOf('[', close);
            }
        }
    }

    private static double? Number(string text) => text switch
    {
        "true" => 1,
        "false" => 0,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) => value,
        _ => null,
    };

    private static string Cut(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
