using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Agent.Enrollment;
using Portal.Shared.Workloads;

namespace Portal.Load;

/// <summary>
/// Benchmark 3: from <c>POST /api/v1/deployments</c> (a sample model, to a label-selector group of all N agents) until every agent
/// has received the new desired state, and until the portal counts every device Running from their reports; against one group
/// send of the very same <see cref="DesiredState"/> from the bare hub to the same number of connections.
/// </summary>
internal static class FanoutBench
{
    private static readonly (string Model, int Version)[] Deployments = [("vibration-anomaly", 1), ("solar-irradiance", 1)];

    public static async Task RunAsync(int agents, int repeats)
    {
        var run = Servers.NewRunDirectory("fanout");
        Console.WriteLine($"Run directory (logs, data): {run}");
        var labels = new Dictionary<string, string> { ["load"] = "fanout" };
        DesiredState? payload = null;
        var portalTimes = new List<(string What, double Received, double Acknowledged)>();
        using (var portal = Servers.Portal(Path.Combine(run, "data"), ServerProcess.FreePort(), seedSamples: true))
        {
            await portal.StartAsync(TimeSpan.FromSeconds(60));
            using var api = new PortalApi(portal.Url);
            await api.SignInAsync(Servers.AdminEmail, Servers.AdminPassword);
            var credentials = await api.EnrollAsync(agents, 16, labels);
            var group = await api.CreateGroupAsync("load-fanout", labels);
            await using var fleet = new Fleet(portal.Url, intervalSeconds: 5);
            await fleet.AddAsync(credentials, pending: 100, TimeSpan.FromSeconds(180));
            await Task.Delay(TimeSpan.FromSeconds(fleet.IntervalSeconds + 2));
            foreach (var (model, version) in Deployments.Take(repeats))
            {
                fleet.ExpectRevision(fleet.Agents.Max(a => a.LastApply.Revision) + 1);
                var started = Stopwatch.GetTimestamp();
                var deployment = await api.DeployModelAsync(model, version, group);
                var posted = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var received = await WaitAllAsync(fleet, agents, started, TimeSpan.FromSeconds(120));
                var acknowledged = double.NaN;
                while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(120))
                {
                    if ((await api.ProgressAsync(deployment)).Running == agents)
                    {
                        acknowledged = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        break;
                    }

                    await Task.Delay(100);
                }

                Console.WriteLine($"portal: {model} v{version} to {agents} agents: POST answered after {posted:F0} ms, all received after {received:F0} ms, all Running (acknowledged) after {acknowledged:F0} ms; {fleet.Counters()}");
                portalTimes.Add(($"{model} v{version}", received, acknowledged));
                payload = fleet.Agents[0].Desired;
            }
        }

        var bareTimes = new List<double>();
        using (var echo = Servers.Echo(run))
        {
            await echo.StartAsync(TimeSpan.FromSeconds(30));
            var fake = Enumerable.Range(0, agents).Select(i => new AgentCredentials($"echo{i}", $"dev_echo{i}.none", echo.Url.ToString(), DateTimeOffset.UtcNow)).ToList();
            await using var fleet = new Fleet(echo.Url, intervalSeconds: 5);
            await fleet.AddAsync(fake, pending: 100, TimeSpan.FromSeconds(180));
            await using var control = new HubConnectionBuilder().WithUrl(new Uri(echo.Url, Portal.Shared.Routes.ApiRoutes.AgentHub)).AddMessagePackProtocol().Build();
            await control.StartAsync();
            await Task.Delay(TimeSpan.FromSeconds(fleet.IntervalSeconds + 2));
            for (var i = 1; i <= Math.Max(3, repeats); i++)
            {
                var state = payload! with { Revision = payload.Revision + i };
                fleet.ExpectRevision(state.Revision);
                var started = Stopwatch.GetTimestamp();
                await control.InvokeAsync(nameof(EchoHub.Broadcast), state);
                var received = await WaitAllAsync(fleet, agents, started, TimeSpan.FromSeconds(60));
                Console.WriteLine($"bare hub: group send of the same desired state to {agents} connections: all received after {received:F0} ms");
                bareTimes.Add(received);
            }
        }

        var bare = bareTimes.Order().ElementAt(bareTimes.Count / 2);
        Console.WriteLine();
        Console.WriteLine("| deployment | agents | all received ms portal | bare group send ms (median) | ratio | all Running (acknowledged) ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (what, received, acknowledged) in portalTimes)
        {
            Console.WriteLine($"| {what} | {agents} | {received:F0} | {bare:F0} | {Report.Ratio(received, bare)} | {acknowledged:F0} |");
        }
    }

    private static async Task<double> WaitAllAsync(Fleet fleet, int agents, long started, TimeSpan timeout)
    {
        while (fleet.AppliedSoFar.Count < agents)
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"Only {fleet.AppliedSoFar.Count} of {agents} agents received the new desired state within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(5);
        }

        return Stopwatch.GetElapsedTime(started, fleet.AppliedSoFar.LastAt).TotalMilliseconds;
    }
}
