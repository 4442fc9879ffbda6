using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Portal.Shared.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// A model deployed through the portal to a real agent process, served on the agent's own loopback endpoint, checked
/// against the model's formula computed here; metrics and profiles come back; a corrupted file is never served.
/// </summary>
public sealed class ModelInferenceTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-model-tests", Guid.NewGuid().ToString("N"));
    private readonly int inferencePort = FreePort();
    private Uri address = default!;
    private HttpClient admin = default!;
    private AgentProcess? agent;

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Models:SeedSamples"] = "true";
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task SampleModel_DeployedToAnAgent_IsServedAndAnswersWhatTheModelDefines()
    {
        var version = (await admin.GetFromJsonAsync<ModelVersionDto>(ApiRoutes.ModelVersion("vibration-anomaly", 1), ct))!;
        Assert.Equal(ModelStage.Production, version.Stage);
        // The agent reconciles every 2 s: its prune must keep the recent partial file below until the deployment
        // arrives, however long creating it takes on a loaded machine.
        var deviceId = await StartAgentAsync("edge-infer-1");
        // Half a download left from an earlier try: the agent must resume it with a Range request, not start over.
        Directory.CreateDirectory(Path.Combine(agentData, "models"));
        var optimized = await File.ReadAllBytesAsync(Path.Combine(portal.DataDirectory, "artifacts", "sha256", (version.OptimizedSha256 ?? version.Sha256)), ct);
        await File.WriteAllBytesAsync(Path.Combine(agentData, "models", (version.OptimizedSha256 ?? version.Sha256) + ".partial"), optimized[..(optimized.Length / 2)], ct);

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "vibration-anomaly", ModelVersion: 1, DeviceIds: [deviceId]), ct);
        Assert.Equal(version.OptimizedSha256 ?? version.Sha256, deployment.Model!.Sha256);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running) && d.State == DeploymentState.Completed, ct, context: () => agent!.Output);
        var workload = Assert.Single((await admin.GetFromJsonAsync<DeviceWorkloads>(ApiRoutes.DeviceWorkloads(deviceId), ct))!.Workloads);
        Assert.Equal((WorkloadKind.Model, WorkloadState.Ready), (workload.Kind, workload.State));
        Assert.Contains("Resuming the download", agent!.Output, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{inferencePort}") };
        using (var metadata = JsonDocument.Parse(await http.GetStringAsync(new Uri("/v2/models/vibration-anomaly", UriKind.Relative), ct)))
        {
            Assert.Equal("window", metadata.RootElement.GetProperty("inputs")[0].GetProperty("name").GetString());
            Assert.Equal([-1, 256], metadata.RootElement.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        }

        var window = SampleModels.SineWindow(amplitude: 0.8, hertz: 29.5);
        using (var infer = await http.PostAsJsonAsync("/v2/models/vibration-anomaly/infer",
            new { inputs = new[] { new { name = "window", shape = new[] { 1, 256 }, datatype = "FP32", data = window } } }, ct))
        {
            Assert.Equal(HttpStatusCode.OK, infer.StatusCode);
            using var body = JsonDocument.Parse(await infer.Content.ReadAsStringAsync(ct));
            var score = body.RootElement.GetProperty("outputs")[0];
            Assert.Equal("score", score.GetProperty("name").GetString());
            Assert.Equal(SampleModels.VibrationScore(window, version.Signature.Metadata), score.GetProperty("data")[0].GetDouble(), 3);
        }

        using (var wrong = await http.PostAsJsonAsync("/v2/models/vibration-anomaly/infer",
            new { inputs = new[] { new { name = "window", shape = new[] { 1, 100 }, datatype = "FP32", data = new float[100] } } }, ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("has shape [1, 100] but the model expects [batch × 256]", await wrong.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        // Metrics come back with the telemetry: one good request, one bad.
        var metrics = await WaitForAsync(async () =>
            (await admin.GetFromJsonAsync<List<DeviceInferenceMetrics>>(ApiRoutes.ModelVersionMetrics("vibration-anomaly", 1), ct))!
                .FirstOrDefault(m => m.DeviceId == deviceId && m.Requests >= 2), "inference metrics to reach the portal");
        Assert.Equal((2, 1), (metrics.Requests, metrics.Errors));
        Assert.True(metrics.P50Ms > 0 && metrics.P99Ms >= metrics.P50Ms);

        // Profile on the device: synthetic inputs, latency percentiles and memory by device.
        using (var start = await admin.PostAsJsonAsync(ApiRoutes.ModelVersionProfiles("vibration-anomaly", 1), new ProfileModelRequest([deviceId], Runs: 50), ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        var profile = await WaitForAsync(async () =>
            (await admin.GetFromJsonAsync<List<ModelProfileDto>>(ApiRoutes.ModelVersionProfiles("vibration-anomaly", 1), ct))!
                .FirstOrDefault(p => p.State != ProfileState.Running), "the profile run to finish");
        Assert.True(profile.State == ProfileState.Done, profile.Error);
        Assert.Equal(50, profile.Result!.Runs);
        Assert.True(profile.Result.P50Ms > 0 && profile.Result.P99Ms >= profile.Result.P50Ms && profile.Result.LoadMs > 0);
        var audited = Assert.Single((await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action=model.version.profiled", ct))!.Items);
        Assert.Equal("vibration-anomaly v1", audited.TargetName);
        Assert.Contains("50 runs on cpu, devices: edge-infer-1", audited.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptedArtifact_FailsWithHashMismatch_IsNeverServed_AndIsFetchedAgainOnceTheFileIsRight()
    {
        var version = (await admin.GetFromJsonAsync<ModelVersionDto>(ApiRoutes.ModelVersion("solar-irradiance", 1), ct))!;
        var stored = Path.Combine(portal.DataDirectory, "artifacts", "sha256", (version.OptimizedSha256 ?? version.Sha256));
        var good = await File.ReadAllBytesAsync(stored, ct);
        var bad = good.ToArray();
        bad[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(stored, bad, ct);
        var deviceId = await StartAgentAsync("edge-infer-2");

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "solar-irradiance", ModelVersion: 1, DeviceIds: [deviceId]), ct);
        var failed = await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Failed), ct, context: () => agent!.Output);
        Assert.Contains("Hash mismatch", failed.Devices![0].Reason, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{inferencePort}") };
        using (var missing = await http.GetAsync(new Uri("/v2/models/solar-irradiance", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        Assert.False(File.Exists(Path.Combine(agentData, "models", (version.OptimizedSha256 ?? version.Sha256) + ".onnx")));

        // Once the portal holds the right bytes again, the next try starts from scratch and serves it.
        await File.WriteAllBytesAsync(stored, good, ct);
        await WaitForAsync(async () =>
        {
            using var ready = await http.GetAsync(new Uri("/v2/models/solar-irradiance/ready", UriKind.Relative), ct);
            return ready.IsSuccessStatusCode ? "ready" : null;
        }, "the model to be served after the fix");
    }

    [Fact]
    public async Task CachedModelFileReplaced_AgentRestarted_DownloadsItAgainAndNeverServesTheWrongBytes()
    {
        var version = (await admin.GetFromJsonAsync<ModelVersionDto>(ApiRoutes.ModelVersion("solar-irradiance", 1), ct))!;
        var deviceId = await StartAgentAsync("edge-infer-3");
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "solar-irradiance", ModelVersion: 1, DeviceIds: [deviceId]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => agent!.Output);
        var cached = Path.Combine(agentData, "models", (version.OptimizedSha256 ?? version.Sha256) + ".onnx");
        Assert.True(File.Exists(cached));

        // While the agent is down, something else overwrites the verified file with another (valid) model.
        await agent!.TerminateAsync(ct);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);
        await agent.DisposeAsync();
        File.Copy(SampleModels.Vibration, cached, overwrite: true);
        agent = AgentProcess.Start(AgentEnvironment(), "--portal", address.ToString(), "--data-dir", agentData);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{inferencePort}") };
        var metadata = await WaitForAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/v2/models/solar-irradiance", UriKind.Relative), ct);
                return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)) : null;
            }
            catch (HttpRequestException)
            {
                return null; // the restarted agent does not listen yet
            }
        }, "the model to be served again after the restart");
        using (metadata)
        {
            // The solar model's signature, not the vibration model's bytes under the solar model's name and hash.
            Assert.Equal("features", metadata.RootElement.GetProperty("inputs")[0].GetProperty("name").GetString());
            Assert.Equal(version.OptimizedSha256 ?? version.Sha256, metadata.RootElement.GetProperty("parameters").GetProperty("sha256").GetString());
        }

        Assert.Equal(version.OptimizedSha256 ?? version.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(cached, ct))));
        Assert.Contains("no longer matches its hash", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArtifactEndpoint_GivesADeviceOnlyFilesItsDesiredStateNames()
    {
        var version = (await admin.GetFromJsonAsync<ModelVersionDto>(ApiRoutes.ModelVersion("solar-irradiance", 1), ct))!;
        var enrolled = await ApiClient.EnrollDeviceAsync(admin, "curious-device", ct);
        using var device = portal.CreateClient();
        device.DefaultRequestHeaders.Authorization = new("Bearer", enrolled.DeviceSecret);

        using var refused = await device.GetAsync(ApiRoutes.AgentArtifact(version.Sha256), ct);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using var traversal = await device.GetAsync(ApiRoutes.Prefix + "/agent/artifacts/..%2F..%2Fportal.db", ct);
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
        using var user = await admin.GetAsync(ApiRoutes.AgentArtifact(version.Sha256), ct);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);

        await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "solar-irradiance", ModelVersion: 1, UseOriginal: true, DeviceIds: [enrolled.DeviceId]), ct);
        var bytes = await WaitForAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ApiRoutes.AgentArtifact(version.Sha256));
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, null);
            using var response = await device.SendAsync(request, ct);
            return response.StatusCode == HttpStatusCode.PartialContent ? await response.Content.ReadAsByteArrayAsync(ct) : null;
        }, "the deployment to be released to the device");
        Assert.Equal(File.ReadAllBytes(SampleModels.Solar)[100..], bytes);
    }

    private async Task<string> StartAgentAsync(string name)
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, name, ct);
        agent = AgentProcess.Start(AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData, "--name", name);
        var device = await WaitForAsync(async () => (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!
            .FirstOrDefault(d => d.Name == name && d.Status == DeviceStatus.Online), $"agent {name} to come online");
        return device.Id;
    }

    private Dictionary<string, string> AgentEnvironment() => new()
    {
        ["Agent__Inference__Port"] = inferencePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Agent__ReconcileIntervalSeconds"] = "2",
        ["Agent__TelemetryIntervalSeconds"] = "1",
        ["Agent__Inference__IntraOpThreads"] = "1",
    };

    private async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"Timed out waiting for {what}. The agent printed:\n{agent?.Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (agent is not null)
        {
            await agent.DisposeAsync();
        }

        admin.Dispose();
        await portal.DisposeAsync();
        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }
    }
}
