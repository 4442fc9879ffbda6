using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Shared.DataFlows;

/// <summary>
/// Pure: every text of a flow (hosts, user names, passwords, topics, JSON paths…), to find and fill
/// <c>${config:KEY}</c> and <c>${secret:NAME}</c> references wherever an operator wrote one, and to reveal the protected
/// form a secret is stored in, without listing each field (a new field is covered the day it is added).
/// </summary>
public static class DataFlowTexts
{
    public static IReadOnlyList<string> All(DataFlowSpec spec)
    {
        var texts = new List<string>();
        Visit(JsonSerializer.SerializeToNode(spec, JsonSerializerOptions.Web), text =>
        {
            texts.Add(text);
            return text;
        });
        return texts;
    }

    /// <summary>The flow with every text mapped; the same instance when no text changes.</summary>
    public static DataFlowSpec Map(DataFlowSpec spec, Func<string, string> map)
    {
        var node = JsonSerializer.SerializeToNode(spec, JsonSerializerOptions.Web);
        var changed = false;
        Visit(node, text =>
        {
            var mapped = map(text);
            changed |= !string.Equals(mapped, text, StringComparison.Ordinal);
            return mapped;
        });
        return changed ? node.Deserialize<DataFlowSpec>(JsonSerializerOptions.Web)! : spec;
    }

    private static void Visit(JsonNode? node, Func<string, string> map)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    if (child is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        o[key] = map(text);
                    }
                    else
                    {
                        Visit(child, map);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        a[i] = map(text);
                    }
                    else
                    {
                        Visit(a[i], map);
                    }
                }

                break;
        }
    }
}
