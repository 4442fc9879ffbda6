using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;

namespace Portal.Bench;

/// <summary>
/// The agent at rest: a real portal process and a real agent process (both on 127.0.0.1), the agent running one ONNX
/// model and, when a Docker engine is given, two container workloads; then its resident memory and CPU time while
/// nothing changes, next to a hello-world that sleeps on the same runtime, sampled over the same window.
/// </summary>
internal static class AgentAtRestBench
{
    private const string AdminPassword = "Bench-Passw0rd!";

    /// <param name="agentProgram">The agent to run: its build output (<c>dotnet Portal.Agent.dll</c>) unless a published executable is named.</param>
    public static async Task<int> RunAsync(int seconds, string? dockerEndpoint, IReadOnlyDictionary<string, string> agentEnvironment, string? agentProgram, int settleSeconds)
    {
        var work = Directory.CreateTempSubdirectory("portal-bench-agent-");
        try
        {
            await using var hello = ChildProcess.StartDotnet(Repository.Output("bench/HelloSleep", "HelloSleep.dll"), new Dictionary<string, string>());
            var portalPort = FreePort();
            await using var portal = ChildProcess.StartDotnet(Repository.Output("Portal", "Portal.dll"), new Dictionary<string, string>
            {
                ["Portal__DataDirectory"] = Path.Combine(work.FullName, "portal"),
                ["Portal__Bootstrap__AdminPassword"] = AdminPassword,
                ["Portal__LocalAgent__Enabled"] = "false",
                ["Portal__Models__SeedSamples"] = "true",
            }, "--urls", $"http://127.0.0.1:{portalPort}");
            var address = new Uri($"http://127.0.0.1:{portalPort}");
            using var admin = new HttpClient { BaseAddress = address };
            await WaitForAsync(async () => (await admin.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode ? "up" : null, "the portal to start", () => portal.Output);
            await SignInAsync(admin);

            var inferencePort = FreePort();
            var token = await CreateEnrollmentTokenAsync(admin);
            var environment = new Dictionary<string, string>(agentEnvironment)
            {
                ["Agent__Inference__Port"] = inferencePort.ToString(CultureInfo.InvariantCulture),
                // Without an engine, point the agent at a socket that does not exist so it never reaches a system one.
                ["Agent__DockerEndpoint"] = dockerEndpoint ?? "unix://" + Path.Combine(work.FullName, "no-docker.sock"),
            };
            agentProgram ??= Repository.Output("Portal.Agent", "Portal.Agent.dll");
            Console.WriteLine($"Agent: {agentProgram}");
            await using var agent = ChildProcess.StartDotnet(agentProgram, environment,
                "--portal", address.ToString(), "--enroll", token, "--data-dir", Path.Combine(work.FullName, "agent"), "--name", "bench-agent");
            var deviceId = await WaitForAsync(async () => (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices))!
                .FirstOrDefault(d => d.Name == "bench-agent" && d.Status == DeviceStatus.Online)?.Id, "the agent to come online", () => agent.Output);

            var expected = 1;
            await DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "solar-irradiance", ModelVersion: 1, DeviceIds: [deviceId]));
            if (dockerEndpoint is not null)
            {
                foreach (var app in Apps(FreePort()))
                {
                    await CreateCertifiedAppAsync(admin, app);
                    await DeployAsync(admin, new CreateDeploymentRequest(app.Id, "1", DeviceIds: [deviceId]));
                    expected++;
                }
            }

            var workloads = await WaitForAsync(async () =>
            {
                var list = (await admin.GetFromJsonAsync<DeviceWorkloads>(ApiRoutes.DeviceWorkloads(deviceId)))!.Workloads;
                return list.Count == expected && list.All(w => w.State is WorkloadState.Ready or WorkloadState.Running) ? list : null;
            }, $"{expected} workloads to run on the agent", () => agent.Output);
            Console.WriteLine("Workloads: " + string.Join(", ", workloads.Select(w => $"{w.Name} ({w.Kind}, {w.State})")));
            await InferOnceAsync(inferencePort);

            Console.WriteLine("Agent environment: " + (agentEnvironment.Count == 0 ? "defaults" : string.Join(" ", agentEnvironment.Select(e => $"{e.Key}={e.Value}"))));
            // Right after start the runtime is still tiering up hot methods (a JIT at work); at rest means after that.
            Console.WriteLine($"Settling {settleSeconds} s, then sampling both processes once a second for {seconds} s...");
            await Task.Delay(TimeSpan.FromSeconds(settleSeconds));
            var (agentStats, helloStats) = await SampleAsync(agent.Id, hello.Id, seconds);
            Console.WriteLine("| process | RSS at end MB | RSS min–max MB | peak RSS (VmHWM) MB | threads | CPU % of one core | RSS vs hello |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            Print("hello-world that sleeps (`dotnet HelloSleep.dll`)", helloStats, helloStats, seconds);
            Print($"Portal.Agent, {expected} workload(s) ({(dockerEndpoint is null ? "model only, no Docker engine" : "1 model + 2 containers")})", agentStats, helloStats, seconds);

            Console.WriteLine();
            Console.WriteLine("| resident memory by mapping (end of window) | agent MB | hello MB |");
            Console.WriteLine("|---|---:|---:|");
            var helloParts = Smaps.Breakdown(hello.Id).ToDictionary(p => p.What, p => p.RssKiB, StringComparer.Ordinal);
            foreach (var (what, kib) in Smaps.Breakdown(agent.Id))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {Mb(kib):F1} | {Mb(helloParts.GetValueOrDefault(what)):F1} |"));
            }

            Console.WriteLine();
            Console.WriteLine("Agent files with the most resident pages: " + string.Join(", ",
                Smaps.TopFiles(agent.Id, 12).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.File} {Mb(f.RssKiB):F1} MB"))));

            if (dockerEndpoint is not null)
            {
                await RemoveContainersAsync(dockerEndpoint, deviceId);
            }

            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private sealed record Window(ProcStat First, ProcStat Last, long MinRss, long MaxRss);

    private static async Task<(Window Agent, Window Hello)> SampleAsync(int agentPid, int helloPid, int seconds)
    {
        var agentFirst = ProcStat.Read(agentPid);
        var helloFirst = ProcStat.Read(helloPid);
        long agentMin = agentFirst.RssKiB, agentMax = agentFirst.RssKiB, helloMin = helloFirst.RssKiB, helloMax = helloFirst.RssKiB;
        ProcStat agentLast = agentFirst, helloLast = helloFirst;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        for (var i = 0; i < seconds; i++)
        {
            await timer.WaitForNextTickAsync();
            agentLast = ProcStat.Read(agentPid);
            helloLast = ProcStat.Read(helloPid);
            (agentMin, agentMax) = (Math.Min(agentMin, agentLast.RssKiB), Math.Max(agentMax, agentLast.RssKiB));
            (helloMin, helloMax) = (Math.Min(helloMin, helloLast.RssKiB), Math.Max(helloMax, helloLast.RssKiB));
        }

        return (new Window(agentFirst, agentLast, agentMin, agentMax), new Window(helloFirst, helloLast, helloMin, helloMax));
    }

    private static void Print(string name, Window w, Window hello, int seconds)
    {
        var cpu = (w.Last.CpuTicks - w.First.CpuTicks) / ProcStat.TicksPerSecond / seconds * 100;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Mb(w.Last.RssKiB):F1} | {Mb(w.MinRss):F1}–{Mb(w.MaxRss):F1} | {Mb(w.Last.PeakRssKiB):F1} | {w.Last.Threads} | {cpu:F2} | {(double)w.Last.RssKiB / hello.Last.RssKiB:F1}× |"));
    }

    private static double Mb(long kib) => kib / 1024.0;

    /// <summary>Two small containers a device might run: a web server on loopback and a worker that sleeps.</summary>
    private static IEnumerable<AppDefinition> Apps(int webPort)
    {
        yield return new AppDefinition("bench-web", "Busybox web server", "Edge Portal bench", "Testing", "Serves one page on loopback.", null,
            [new AppVersion("1", "local/busybox:1", ["sh", "-c", $"mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 127.0.0.1:{webPort} -h /www"])]);
        yield return new AppDefinition("bench-worker", "Sleeping worker", "Edge Portal bench", "Testing", "Does nothing, quietly.", null,
            [new AppVersion("1", "local/busybox:1", ["sleep", "86400"])]);
    }

    private static async Task SignInAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync(ApiRoutes.Login, new { email = "admin@portal.local", password = AdminPassword });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new("Bearer", body.RootElement.GetProperty("accessToken").GetString());
    }

    private static async Task<string> CreateEnrollmentTokenAsync(HttpClient admin)
    {
        using var created = await admin.PostAsJsonAsync(ApiRoutes.EnrollmentTokens, new CreateEnrollmentTokenRequest("bench", 1, 1, null));
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<CreatedEnrollmentToken>())!.Secret;
    }

    private static async Task CreateCertifiedAppAsync(HttpClient admin, AppDefinition app)
    {
        using var created = await admin.PostAsJsonAsync(ApiRoutes.MarketplaceApps, app);
        created.EnsureSuccessStatusCode();
        using var certified = await admin.PostAsJsonAsync(ApiRoutes.MarketplaceAppCertify(app.Id), new CertifyRequest(true));
        certified.EnsureSuccessStatusCode();
    }

    private static async Task DeployAsync(HttpClient admin, CreateDeploymentRequest request)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.Deployments, request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Deploy failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task InferOnceAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var response = await http.PostAsJsonAsync("/v2/models/solar-irradiance/infer",
            new { inputs = new[] { new { name = "features", shape = new[] { 1, 4 }, datatype = "FP32", data = new[] { 45f, 0.3f, 20f, 0.5f } } } });
        response.EnsureSuccessStatusCode();
    }

    private static async Task RemoveContainersAsync(string endpoint, string deviceId)
    {
        using var list = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("docker", ["-H", endpoint, "ps", "-aq", "--filter", $"label=io.edgeportal.agent={deviceId}"]) { RedirectStandardOutput = true })!;
        var ids = (await list.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await list.WaitForExitAsync();
        if (ids.Length > 0)
        {
            using var remove = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("docker", ["-H", endpoint, "rm", "-f", .. ids]) { RedirectStandardOutput = true })!;
            await remove.WaitForExitAsync();
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, Func<string> context)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"Timed out waiting for {what}. Output:\n{context()}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
