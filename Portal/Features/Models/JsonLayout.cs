using System.Text;
using System.Text.Json;

namespace Portal.Features.Models;

/// <summary>
/// Indented JSON that keeps arrays of numbers on one line: a tensor's 256 values read as one wrapped paragraph, not
/// 256 lines of a text box.
/// </summary>
public static class JsonLayout
{
    public static string Readable(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var text = new StringBuilder();
            Write(text, document.RootElement, 0);
            return text.ToString();
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static void Write(StringBuilder text, JsonElement element, int depth)
    {
        var indent = new string(' ', (depth + 1) * 2);
        var closing = new string(' ', depth * 2);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject())
                {
                    text.Append(first ? "\n" : ",\n").Append(indent).Append(JsonSerializer.Serialize(property.Name)).Append(": ");
                    Write(text, property.Value, depth + 1);
                    first = false;
                }

                text.Append(first ? "}" : $"\n{closing}}}");
                break;
            case JsonValueKind.Array when element.EnumerateArray().All(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)):
                text.Append('[').AppendJoin(", ", element.EnumerateArray().Select(e => e.GetRawText())).Append(']');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    text.Append(firstItem ? "\n" : ",\n").Append(indent);
                    Write(text, item, depth + 1);
                    firstItem = false;
                }

                text.Append($"\n{closing}]");
                break;
            default:
                text.Append(element.GetRawText());
                break;
        }
    }
}
