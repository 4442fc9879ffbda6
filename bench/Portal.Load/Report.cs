namespace Portal.Load;

/// <summary>Markdown tables for BENCHMARKS.md: each portal figure beside the bare hub's from the same run, with the ratio.</summary>
internal static class Report
{
    public static void AgentsTable(IReadOnlyList<AgentsBench.Row> portal, IReadOnlyList<AgentsBench.Row> bare, double p99LimitMs)
    {
        Console.WriteLine();
        Console.WriteLine($"| agents | SendTelemetry/s | p50 ms portal / bare | p99 ms portal / bare (limit {p99LimitMs:F0}) | server CPU µs per message portal / bare | ratio | RSS growth KB per agent portal / bare | ratio | server CPU % of a core portal / bare | client CPU % |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in portal)
        {
            var b = bare.FirstOrDefault(r => r.Agents == p.Agents);
            Console.WriteLine($"| {p.Agents} | {p.Messages / p.WindowSeconds:F0} | {p.P50:F1} / {B(b, r => r.P50, "F1")} | {p.P99:F1} / {B(b, r => r.P99, "F1")} | " +
                $"{CpuPerMessage(p):F0} / {B(b, CpuPerMessage, "F0")} | {Ratio(CpuPerMessage(p), b is null ? null : CpuPerMessage(b))} | " +
                $"{RssPerAgent(p):F1} / {B(b, RssPerAgent, "F1")} | {Ratio(RssPerAgent(p), b is null ? null : RssPerAgent(b))} | " +
                $"{100 * p.CpuSeconds / p.WindowSeconds:F0} / {B(b, r => 100 * r.CpuSeconds / r.WindowSeconds, "F0")} | {100 * p.ClientCpuSeconds / p.WindowSeconds:F0} |");
        }
    }

    public static string Ratio(double portal, double? bare) => bare is > 0 ? $"{portal / bare.Value:F1}×" : "–";

    public static double CpuPerMessage(AgentsBench.Row r) => r.Messages == 0 ? 0 : 1e6 * r.CpuSeconds / r.Messages;

    public static double RssPerAgent(AgentsBench.Row r) => (r.RssBytes - r.RssBaseline) / 1024.0 / r.Agents;

    private static string B(AgentsBench.Row? row, Func<AgentsBench.Row, double> value, string format) =>
        row is null ? "–" : value(row).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
