using System.Diagnostics;
using Portal.Agent.Enrollment;

namespace Portal.Load;

/// <summary>
/// Benchmark 1: connected agents sending telemetry every interval, in steps, against the portal and then the bare hub with the
/// same steps. Each step: connect up to N, let every agent send at least once, then measure a window of SendTelemetry round
/// trips and the server's CPU and RSS. Stops stepping past the first step whose p99 exceeds the limit or whose calls fail.
/// </summary>
internal static class AgentsBench
{
    public sealed record Row(int Agents, int Messages, double P50, double P99, double Max, long Failures, double CpuSeconds, double WindowSeconds,
        long RssBytes, long RssBaseline, double ClientCpuSeconds, TimeSpan Ramp);

    public static async Task RunAsync(IReadOnlyList<int> steps, int windowSeconds, double p99LimitMs)
    {
        var run = Servers.NewRunDirectory("agents");
        Console.WriteLine($"Run directory (logs, data): {run}");
        var portalRows = new List<Row>();
        using (var portal = Servers.Portal(Path.Combine(run, "data"), ServerProcess.FreePort(), seedSamples: false))
        {
            await portal.StartAsync(TimeSpan.FromSeconds(60));
            using var api = new PortalApi(portal.Url);
            await api.SignInAsync(Servers.AdminEmail, Servers.AdminPassword);
            // Devices are enrolled step by step, only as many as the next step needs.
            var credentials = new List<AgentCredentials>();
            async Task<IReadOnlyList<AgentCredentials>> EnrollUpToAsync(int count)
            {
                var enrolling = Stopwatch.StartNew();
                credentials.AddRange(await api.EnrollAsync(count - credentials.Count, 16, new Dictionary<string, string> { ["load"] = "agents" }));
                Console.WriteLine($"Enrolled up to {credentials.Count} devices in {enrolling.Elapsed.TotalSeconds:F1} s, 16 at a time ({api.EnrollConflicts} refused as concurrent so far, retried)");
                return credentials;
            }

            await StepAsync("portal", portal, EnrollUpToAsync, steps, windowSeconds, p99LimitMs, portalRows);
        }

        var echoRows = new List<Row>();
        using (var echo = Servers.Echo(run))
        {
            await echo.StartAsync(TimeSpan.FromSeconds(30));
            var fake = Enumerable.Range(0, portalRows.Max(r => r.Agents))
                .Select(i => new AgentCredentials($"echo{i}", $"dev_echo{i}.none", echo.Url.ToString(), DateTimeOffset.UtcNow)).ToList();
            await StepAsync("bare hub", echo, _ => Task.FromResult<IReadOnlyList<AgentCredentials>>(fake), [.. steps.Where(s => s <= fake.Count)], windowSeconds, double.MaxValue, echoRows);
        }

        Report.AgentsTable(portalRows, echoRows, p99LimitMs);
    }

    private static async Task StepAsync(string name, ServerProcess server, Func<int, Task<IReadOnlyList<AgentCredentials>>> credentialsUpTo, IReadOnlyList<int> steps,
        int windowSeconds, double p99LimitMs, List<Row> rows)
    {
        ProcStats? baseline = null;
        await using var fleet = new Fleet(server.Url, intervalSeconds: 5);
        foreach (var step in steps)
        {
            var credentials = await credentialsUpTo(step);
            if (baseline is null)
            {
                // RSS with the first step's devices enrolled but none connected: growth from here is what connections cost.
                await Task.Delay(TimeSpan.FromSeconds(3));
                baseline = server.Stats();
            }

            var ramp = Stopwatch.StartNew();
            try
            {
                await fleet.AddAsync([.. credentials.Skip(fleet.Count).Take(step - fleet.Count)], pending: 100, TimeSpan.FromSeconds(180));
            }
            catch (TimeoutException ex)
            {
                Console.WriteLine($"{name}: {step} agents not reached: {ex.Message}");
                break;
            }

            ramp.Stop();
            // Every agent sends at least once after the ramp before the window opens.
            await Task.Delay(TimeSpan.FromSeconds(fleet.IntervalSeconds + 2));
            fleet.Telemetry.Reset();
            var sentBefore = Interlocked.Read(ref fleet.TelemetrySent);
            var before = server.Stats();
            var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var window = Stopwatch.StartNew();
            fleet.Telemetry.Recording = true;
            await Task.Delay(TimeSpan.FromSeconds(windowSeconds));
            fleet.Telemetry.Recording = false;
            var after = server.Stats();
            window.Stop();
            var (count, p50, p99, max) = fleet.Telemetry.Summary();
            var row = new Row(step, (int)(Interlocked.Read(ref fleet.TelemetrySent) - sentBefore), p50, p99, max, fleet.Telemetry.Failures,
                after.CpuSeconds - before.CpuSeconds, window.Elapsed.TotalSeconds, after.RssBytes, baseline.Value.RssBytes,
                (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds, ramp.Elapsed);
            rows.Add(row);
            Console.WriteLine($"{name}: {step} agents (ramp {ramp.Elapsed.TotalSeconds:F1} s): {row.Messages} SendTelemetry in {row.WindowSeconds:F0} s ({count} timed), " +
                $"p50 {p50:F1} ms, p99 {p99:F1} ms, max {max:F0} ms, failures {row.Failures}, server CPU {row.CpuSeconds / row.WindowSeconds:P0} of a core, " +
                $"RSS {row.RssBytes / 1048576.0:F0} MB (before connecting {baseline.Value.RssBytes / 1048576.0:F0} MB), client CPU {row.ClientCpuSeconds / row.WindowSeconds:P0}; {fleet.Counters()}");
            if (server.Crashed || p99 > p99LimitMs || row.Failures > row.Messages / 100)
            {
                Console.WriteLine($"{name}: stopping at {step} agents (p99 {p99:F0} ms, failures {row.Failures}, crashed {server.Crashed}).");
                break;
            }
        }
    }
}
