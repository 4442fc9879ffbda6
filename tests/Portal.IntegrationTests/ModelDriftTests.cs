using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Portal.Shared.Alerts;
using Portal.Shared.Deployments;
using Portal.Shared.Models.Monitoring;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Model drift for real: the vibration model deployed to a real agent, a baseline captured from 400 healthy windows sent
/// to the agent's inference endpoint, then 400 more healthy windows (stable: PSI under 0.25) and 400 faulty ones (a 2 g
/// impact every 32 samples): the worst feature's PSI rises past the rule's 0.25 and the drift alert fires.
/// </summary>
public sealed class ModelDriftTests : IAsyncLifetime
{
    private const int Batch = 400;
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-drift-tests", Guid.NewGuid().ToString("N"));
    private readonly int inferencePort = AgentProcess.FreeLoopbackPort();
    private readonly Random random = new(20261206);
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Models:SeedSamples"] = "true";
        portal.Settings["Portal:ModelMonitoring:WindowSeconds"] = "1";
        portal.Settings["Portal:ModelMonitoring:MinWindowRequests"] = "300";
        portal.Settings["Portal:Alerts:EvaluateSeconds"] = "1";
        portal.Settings["Portal:ModelMonitoring:ErrorRateWindowSeconds"] = "2";
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task FaultyInputs_DriftPastTheRule_AndTheAlertFires_WhileHealthyOnesStayStable()
    {
        var environment = DeploymentTests.AgentEnvironment();
        environment["Agent__Inference__Port"] = inferencePort.ToString(CultureInfo.InvariantCulture);
        environment["Agent__Inference__IntraOpThreads"] = "1";
        environment["Agent__TelemetryIntervalSeconds"] = "1";
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "drift-1", ct);
        await using var agent = AgentProcess.Start(environment, "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "drift-1");
        var device = await agent.WaitUntilOnlineAsync(admin, "drift-1", ct);
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "vibration-anomaly", ModelVersion: 1, DeviceIds: [device]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.State == DeploymentState.Completed, ct, context: () => agent.Output);
        using var inference = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{inferencePort}") };
        await SendAsync(inference, faulty: false, 5);
        await WaitForAsync(async () => (await admin.GetStringAsync(ApiRoutes.ModelVersionMetrics("vibration-anomaly", 1), ct)).Contains(device, StringComparison.Ordinal), "the device to report serving the model");

        using (var capture = await admin.PostAsJsonAsync(ApiRoutes.ModelVersionBaselineCapture("vibration-anomaly", 1), new CaptureBaselineRequest(device, Batch), ct))
        {
            Assert.True(capture.IsSuccessStatusCode, await capture.Content.ReadAsStringAsync(ct));
            Assert.Equal(BaselineState.Capturing, (await capture.Content.ReadFromJsonAsync<BaselineDto>(ct))!.State);
        }

        await SendAsync(inference, faulty: false, Batch);
        BaselineDto? baseline = null;
        await WaitForAsync(async () => (baseline = await BaselineAsync()) is { State: BaselineState.Ready }, "the baseline to be ready");
        Assert.Contains("out:features[0]", baseline!.Features);
        Assert.Contains("in:window:std", baseline.Features);

        using (var rule = await admin.PostAsJsonAsync(ApiRoutes.AlertRules, SaveAlertRuleRequest.ForDrift("vibration drift", "vibration-anomaly", 0.25, 0.1), ct))
        {
            Assert.True(rule.IsSuccessStatusCode, await rule.Content.ReadAsStringAsync(ct));
        }

        await SendAsync(inference, faulty: false, Batch);
        IReadOnlyList<DriftPointDto> points = [];
        await WaitForAsync(async () => (points = await DriftAsync()).Count > 0, "a drift point of healthy requests");
        Assert.True(points[0].MaxPsi < 0.25, $"healthy against healthy should be stable; PSI {points[0].MaxPsi} on {points[0].WorstFeature}");
        Assert.Equal(device, points[0].DeviceId);

        await SendAsync(inference, faulty: true, Batch);
        await WaitForAsync(async () => (points = await DriftAsync()).Any(p => p.MaxPsi > 0.25), "drift of faulty requests");
        var drifted = points.Last(p => p.MaxPsi > 0.25);
        Assert.True(drifted.MaxPsi > 1, $"impacts change rms, peak and kurtosis a lot; PSI {drifted.MaxPsi} on {drifted.WorstFeature}");

        AlertDto? alert = null;
        await WaitForAsync(async () => (alert = (await admin.GetFromJsonAsync<AlertPage>($"{ApiRoutes.Alerts}?state=Firing&deviceId={device}", ct))!.Items
            .FirstOrDefault(a => a.RuleName == "vibration drift")) is not null, "the drift alert to fire");
        Assert.Contains("vibration-anomaly v1: PSI", alert!.Summary, StringComparison.Ordinal);
        Assert.True(alert.Value > 0.25);

        // Model metric rules on the same device: requests that fail (a wrong shape), then no requests at all.
        await RuleAsync(SaveAlertRuleRequest.ForModelMetric("vibration errors", "vibration-anomaly", ModelMetric.ErrorRatePercent, 50, 0));
        await RuleAsync(SaveAlertRuleRequest.ForModelMetric("vibration silent", "vibration-anomaly", ModelMetric.RequestsStoppedSeconds, 6, 0));
        var failing = await WaitForFiringAsync(device, "vibration errors", async () =>
        {
            // Enough failures between two reports for the recent error rate to count (at least 10 requests).
            for (var i = 0; i < 10; i++)
            {
                using var wrong = await inference.PostAsJsonAsync("/v2/models/vibration-anomaly/infer",
                    new { inputs = new[] { new { name = "window", shape = new[] { 1, 100 }, datatype = "FP32", data = new float[100] } } }, ct);
                Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            }
        });
        Assert.InRange(failing.Value!.Value, 50.1, 100);
        var silent = await WaitForFiringAsync(device, "vibration silent", () => Task.CompletedTask);
        Assert.True(silent.Value > 6);
        Assert.Contains("time since the last request", silent.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadedReferenceData_IsAReadyBaselineOfTheInputs_AndBadDataIsRefused()
    {
        var requests = Enumerable.Range(0, 120).Select(_ => (IReadOnlyList<ReferenceTensor>)[new ReferenceTensor("window", [1, 256], [.. Window(faulty: false).Select(v => (double)v)])]).ToList();
        using (var uploaded = await admin.PutAsJsonAsync(ApiRoutes.ModelVersionBaseline("vibration-anomaly", 1), new UploadBaselineRequest(requests), ct))
        {
            Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync(ct));
            var baseline = (await uploaded.Content.ReadFromJsonAsync<BaselineDto>(ct))!;
            Assert.Equal((BaselineState.Ready, "uploaded reference data", 120L), (baseline.State, baseline.DeviceName, baseline.CapturedRequests));
            Assert.Equal(["in:window:mean", "in:window:std"], baseline.Features.Order());
        }

        await Refused([[new ReferenceTensor("features", [1, 4], [1, 2, 3, 4])]], "window");
        await Refused([[new ReferenceTensor("window", [1, 256], [1, 2, 3])]], "shape");
        await Refused([.. requests.Take(10)], "at least 50");
        Assert.Equal(BaselineState.Ready, (await BaselineAsync())!.State);
    }

    private async Task Refused(IReadOnlyList<IReadOnlyList<ReferenceTensor>> requests, string says)
    {
        using var response = await admin.PutAsJsonAsync(ApiRoutes.ModelVersionBaseline("vibration-anomaly", 1), new UploadBaselineRequest(requests), ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(says, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task RuleAsync(SaveAlertRuleRequest request)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.AlertRules, request, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>Does <paramref name="each"/> until the rule's alert fires on the device.</summary>
    private async Task<AlertDto> WaitForFiringAsync(string device, string rule, Func<Task> each)
    {
        AlertDto? alert = null;
        await WaitForAsync(async () =>
        {
            await each();
            return (alert = (await admin.GetFromJsonAsync<AlertPage>($"{ApiRoutes.Alerts}?state=Firing&deviceId={device}", ct))!.Items.FirstOrDefault(a => a.RuleName == rule)) is not null;
        }, $"{rule} to fire");
        return alert!;
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }
    }

    private async Task<BaselineDto?> BaselineAsync()
    {
        using var response = await admin.GetAsync(ApiRoutes.ModelVersionBaseline("vibration-anomaly", 1), ct);
        return response.StatusCode == HttpStatusCode.NoContent ? null : await response.Content.ReadFromJsonAsync<BaselineDto>(ct);
    }

    private async Task<IReadOnlyList<DriftPointDto>> DriftAsync() =>
        (await admin.GetFromJsonAsync<List<DriftPointDto>>(ApiRoutes.ModelVersionDrift("vibration-anomaly", 1), ct))!;

    /// <summary>Windows as the model's README describes them: a 29.5 Hz shaft tone with two harmonics and noise; faulty ones add a 2 g impact every 32 samples.</summary>
    private async Task SendAsync(HttpClient inference, bool faulty, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var window = Window(faulty);
            using var response = await inference.PostAsJsonAsync("/v2/models/vibration-anomaly/infer",
                new { inputs = new[] { new { name = "window", shape = new[] { 1, 256 }, datatype = "FP32", data = window } } }, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private float[] Window(bool faulty)
    {
        var window = new float[256];
        var (a1, a2, a3) = (0.5 * Jitter(), 0.15 * Jitter(), 0.08 * Jitter());
        var (p1, p2, p3) = (random.NextDouble() * 2 * Math.PI, random.NextDouble() * 2 * Math.PI, random.NextDouble() * 2 * Math.PI);
        for (var n = 0; n < window.Length; n++)
        {
            var t = n / 1000.0;
            var x = (a1 * Math.Sin((2 * Math.PI * 29.5 * t) + p1)) + (a2 * Math.Sin((2 * Math.PI * 59 * t) + p2)) + (a3 * Math.Sin((2 * Math.PI * 88.5 * t) + p3)) + (0.05 * Gaussian());
            window[n] = (float)(faulty && n % 32 == 0 ? x + 2 : x);
        }

        return window;
    }

    private double Jitter() => 0.9 + (0.2 * random.NextDouble());

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(250, ct);
        }
    }
}
