using System.Diagnostics;
using Portal.Agent.Enrollment;

namespace Portal.Load;

/// <summary>
/// Benchmark 4: N agents connected; the server is killed and started again on the same data directory and port. Measures how
/// long until every agent is connected and synced again (its own connection state), with the real agent's retry policy, and
/// whether the server survived and any agent gave up. The bare hub is restarted the same way under the same N as the baseline.
/// </summary>
internal static class ReconnectBench
{
    public static async Task RunAsync(int agents)
    {
        var run = Servers.NewRunDirectory("reconnect");
        Console.WriteLine($"Run directory (logs, data): {run}");
        var port = ServerProcess.FreePort();
        var data = Path.Combine(run, "data");
        (double Start, double All, double Api, string Counters) portal;
        {
            using var first = Servers.Portal(data, port, seedSamples: false);
            await first.StartAsync(TimeSpan.FromSeconds(60));
            IReadOnlyList<AgentCredentials> credentials;
            using (var api = new PortalApi(first.Url))
            {
                await api.SignInAsync(Servers.AdminEmail, Servers.AdminPassword);
                credentials = await api.EnrollAsync(agents, 16, new Dictionary<string, string> { ["load"] = "reconnect" });
            }

            await using var fleet = new Fleet(first.Url, intervalSeconds: 5);
            await fleet.AddAsync(credentials, pending: 100, TimeSpan.FromSeconds(180));
            await Task.Delay(TimeSpan.FromSeconds(fleet.IntervalSeconds + 2));
            portal = await RestartAsync("portal", first, () => Servers.Portal(data, port, seedSamples: false), fleet, agents, countOnline: true);
        }

        (double Start, double All, double Api, string Counters) bare;
        {
            using var first = Servers.Echo(run);
            await first.StartAsync(TimeSpan.FromSeconds(30));
            var fake = Enumerable.Range(0, agents).Select(i => new AgentCredentials($"echo{i}", $"dev_echo{i}.none", first.Url.ToString(), DateTimeOffset.UtcNow)).ToList();
            await using var fleet = new Fleet(first.Url, intervalSeconds: 5);
            await fleet.AddAsync(fake, pending: 100, TimeSpan.FromSeconds(180));
            await Task.Delay(TimeSpan.FromSeconds(fleet.IntervalSeconds + 2));
            bare = await RestartAsync("bare hub", first, () => Servers.EchoOnPort(run, first.Port), fleet, agents, countOnline: false);
        }

        Console.WriteLine();
        Console.WriteLine("| agents | server | process start to /healthz s | kill to all agents back s | ratio to bare | devices Online in GET /api/v1/devices when all were back |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|");
        Console.WriteLine($"| {agents} | portal | {portal.Start:F1} | {portal.All:F1} | {Report.Ratio(portal.All, bare.All)} | {portal.Api:F0} |");
        Console.WriteLine($"| {agents} | bare hub | {bare.Start:F1} | {bare.All:F1} | 1.0× | – |");
    }

    private static async Task<(double Start, double All, double Api, string Counters)> RestartAsync(
        string name, ServerProcess first, Func<ServerProcess> again, Fleet fleet, int agents, bool countOnline)
    {
        var clock = Stopwatch.StartNew();
        first.Kill();
        using var second = again();
        var start = (await second.StartAsync(TimeSpan.FromSeconds(60))).TotalSeconds;
        // Every agent has noticed the kill (and none is counted online from before) once the fresh process answers.
        var timeout = TimeSpan.FromSeconds(180);
        while (fleet.Online < agents && clock.Elapsed < timeout && !second.Crashed)
        {
            await Task.Delay(20);
        }

        var all = clock.Elapsed.TotalSeconds;
        var api = double.NaN;
        if (countOnline)
        {
            using var client = new PortalApi(second.Url);
            await client.SignInAsync(Servers.AdminEmail, Servers.AdminPassword);
            api = await client.OnlineDevicesAsync();
        }

        var counters = fleet.Counters();
        Console.WriteLine($"{name}: killed and restarted under {agents} agents: process ready after {start:F1} s, {fleet.Online} of {agents} back after {all:F1} s " +
            $"(from the kill), server crashed {second.Crashed}; {counters}" + (countOnline ? $"; devices Online per API: {api}" : ""));
        return (start, all, api, counters);
    }
}
