using YamlDotNet.RepresentationModel;
using Portal.Shared.Workloads;

namespace Portal.Features.Compose;

/// <summary>Reads a <c>healthcheck</c> into the engine's form: a string test becomes <c>CMD-SHELL</c>, as in Compose.</summary>
internal static class ComposeHealth
{
    private static readonly HashSet<string> Keys = new(["test", "interval", "timeout", "retries", "start_period", "disable"], StringComparer.Ordinal);

    public static HealthCheckSpec? Read(YamlNode node)
    {
        var map = YamlNodes.Map(node, "'healthcheck'");
        YamlNodes.OnlyKeys(map, "'healthcheck'", Keys);
        var fields = map.Children.ToDictionary(c => YamlNodes.Scalar(c.Key, "A key"), c => c.Value, StringComparer.Ordinal);
        if (fields.TryGetValue("disable", out var disable) && YamlNodes.Bool(disable, "'disable'"))
        {
            return null;
        }

        if (!fields.TryGetValue("test", out var testNode))
        {
            throw new ComposeException(YamlNodes.Line(node), "A healthcheck needs a 'test'.");
        }

        IReadOnlyList<string> test = testNode is YamlScalarNode s ? ["CMD-SHELL", s.Value ?? ""] : YamlNodes.List(testNode, "'test'");
        if (test.Count < 2 || test[0] is not ("CMD" or "CMD-SHELL"))
        {
            throw new ComposeException(YamlNodes.Line(testNode), "A healthcheck 'test' must be a string, or a list starting with CMD or CMD-SHELL.");
        }

        var retries = 0;
        if (fields.TryGetValue("retries", out var r) && !int.TryParse(YamlNodes.Scalar(r, "'retries'"), out retries))
        {
            throw new ComposeException(YamlNodes.Line(r), "'retries' must be a whole number.");
        }

        return new HealthCheckSpec(test, Duration(fields, "interval"), Duration(fields, "timeout"), retries, Duration(fields, "start_period"));
    }

    private static TimeSpan Duration(Dictionary<string, YamlNode> fields, string key) => !fields.TryGetValue(key, out var node)
        ? TimeSpan.Zero
        : ComposeUnits.Duration(YamlNodes.Scalar(node, $"'{key}'"))
            ?? throw new ComposeException(YamlNodes.Line(node), $"'{key}' must be a duration such as 10s or 1m30s.");
}
