using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Hubs;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// A secret marketplace parameter is stored encrypted (deployment and desired state), never shown back, and reaches
/// the device in plain; restarting a workload and re-syncing a device are audited. The device is a hand-made hub client.
/// </summary>
public sealed class SecretParameterTests : IAsyncLifetime
{
    private const string Secret = "s3cr3t-Plant-Token-42";

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly List<string> agentDevices = [];
    private readonly List<string> agentData = [];
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task Deploy_SecretParameter_IsEncryptedAtRestAndPlainOnlyOnTheDevice()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "secret-keeper", ct);
        var received = new ConcurrentQueue<DesiredState>();
        await using var hub = await ConnectAsync(device.DeviceSecret, received);
        await DeploymentApi.CreateCertifiedAppAsync(admin, SecretApp("vault-reader"), ct);

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("vault-reader", "1",
            Parameters: new Dictionary<string, string> { ["API_TOKEN"] = Secret, ["SITE"] = "madrid" }, DeviceIds: [device.DeviceId]), ct);
        var pushed = await WaitForWorkloadAsync(received);
        var fetched = await hub.InvokeAsync<DesiredState>(nameof(IAgentHub.GetDesiredState), ct);

        foreach (var state in new[] { pushed, fetched })
        {
            var workload = Assert.Single(state.Containers());
            Assert.Equal(Secret, workload.Environment["API_TOKEN"]);
            Assert.Equal("madrid", workload.Environment["SITE"]);
            Assert.Contains($"token={Secret}x at madrid", workload.Command[2], StringComparison.Ordinal);
        }

        var stored = await StoredTextAsync();
        Assert.NotEmpty(stored);
        Assert.DoesNotContain(stored, text => text.Contains(Secret, StringComparison.Ordinal));
        Assert.Contains(stored, text => text.Contains("{enc:v1:", StringComparison.Ordinal));
        Assert.Contains(stored, text => text.Contains("madrid", StringComparison.Ordinal));
        var shown = await admin.GetStringAsync(ApiRoutes.Deployment(deployment.Id), ct);
        Assert.DoesNotContain(Secret, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("enc:v1", shown, StringComparison.Ordinal);
        Assert.Equal("••••••", (await DeploymentApi.GetAsync(admin, deployment.Id, ct)).Parameters["API_TOKEN"]);
    }

    [Fact]
    public async Task Deploy_SecretParameterToARealAgent_TheContainerGetsThePlainValue()
    {
        DockerEngine.RequireEndpoint();
        var web = DeploymentApi.WebServerApp("secret-web");
        await DeploymentApi.CreateCertifiedAppAsync(admin, web with
        {
            Versions = [web.Versions[0] with { Parameters = [new AppParameter("PORT", "int", Required: true), new AppParameter("GREETING", "string", "edge", Secret: true)] }],
        }, ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "secret-agent", ct);
        agentData.Add(Path.Combine(Path.GetTempPath(), "portal-secret-tests", Guid.NewGuid().ToString("N")));
        await using var agent = AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData[0], "--name", "secret-agent");
        await WaitUntilAsync(() => File.Exists(Path.Combine(agentData[0], "credentials.json")));
        var deviceId = (await admin.GetFromJsonAsync<List<Portal.Shared.Devices.DeviceDto>>(ApiRoutes.Devices, ct))!.Single(d => d.Name == "secret-agent").Id;
        agentDevices.Add(deviceId);
        var port = FreePort();

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("secret-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["GREETING"] = Secret }, DeviceIds: [deviceId]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => agent.Output);

        using var http = new HttpClient();
        Assert.Equal($"hello-from-{Secret}", (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), ct)).Trim());
        Assert.DoesNotContain(await StoredTextAsync(), text => text.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_SameSecretTwice_IsOneDeployment()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "twice", ct);
        await DeploymentApi.CreateCertifiedAppAsync(admin, SecretApp("twice-app"), ct);
        var request = new CreateDeploymentRequest("twice-app", "1", Parameters: new Dictionary<string, string> { ["API_TOKEN"] = Secret }, DeviceIds: [device.DeviceId]);

        var first = await DeploymentApi.DeployAsync(admin, request, ct);
        using var again = await admin.PostAsJsonAsync(ApiRoutes.Deployments, request, ct);
        var other = await DeploymentApi.DeployAsync(admin, request with { Parameters = new Dictionary<string, string> { ["API_TOKEN"] = Secret + "-rotated" } }, ct);

        // Each encryption of the secret differs; the duplicate is found on the plain value and named in the 409.
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(first.Id, (await again.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        Assert.NotEqual(first.Id, other.Id);
    }

    [Fact]
    public async Task RestartAndResync_OverTheApi_AreAuditedAndResyncSendsThePlainState()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "restarted", ct);
        var received = new ConcurrentQueue<DesiredState>();
        var restarts = new ConcurrentQueue<string>();
        await using var hub = await ConnectAsync(device.DeviceSecret, received);
        hub.On<string>(nameof(IAgentClient.RestartWorkload), restarts.Enqueue);
        await DeploymentApi.CreateCertifiedAppAsync(admin, SecretApp("restartable"), ct);
        await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("restartable", "1",
            Parameters: new Dictionary<string, string> { ["API_TOKEN"] = Secret }, DeviceIds: [device.DeviceId]), ct);
        await WaitForWorkloadAsync(received);
        received.Clear();

        using var restart = await admin.PostAsync(ApiRoutes.Device(device.DeviceId) + "/workloads/restartable/restart", null, ct);
        using var resync = await admin.PostAsync(ApiRoutes.Device(device.DeviceId) + "/resync", null, ct);

        Assert.Equal(HttpStatusCode.Accepted, restart.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, resync.StatusCode);
        Assert.Equal(Secret, (await WaitForWorkloadAsync(received)).Containers()[0].Environment["API_TOKEN"]);
        await WaitUntilAsync(() => restarts.Contains("restartable"));
        var restarted = Assert.Single(await EntriesAsync(AuditActions.WorkloadRestarted, device.DeviceId));
        Assert.Equal((PortalFactory.AdminEmail, AuditOutcomes.Success, "restartable"), (restarted.ActorName, restarted.Outcome, restarted.TargetName));
        var resynced = Assert.Single(await EntriesAsync(AuditActions.DeviceResynced, device.DeviceId));
        Assert.Equal((PortalFactory.AdminEmail, AuditOutcomes.Success), (resynced.ActorName, resynced.Outcome));
    }

    [Fact]
    public async Task Resync_OfflineDevice_IsRefusedAndAuditedAsFailure()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "offline", ct);

        using var resync = await admin.PostAsync(ApiRoutes.Device(device.DeviceId) + "/resync", null, ct);

        Assert.Equal(HttpStatusCode.Conflict, resync.StatusCode);
        var entry = Assert.Single(await EntriesAsync(AuditActions.DeviceResynced, device.DeviceId));
        Assert.Equal((AuditOutcomes.Failure, "the device is offline"), (entry.Outcome, entry.Detail));
    }

    private static AppDefinition SecretApp(string id) => new(
        id, "Vault reader", "Edge Portal tests", "Testing", "Reads a secret token.", null,
        [
            new AppVersion("1", "local/busybox:1", ["sh", "-c", "echo token=${API_TOKEN}x at ${SITE}; exec sleep 3600"],
                Parameters: [new AppParameter("API_TOKEN", "string", Required: true, Secret: true), new AppParameter("SITE", "string", "lab")]),
        ]);

    /// <summary>Every stored text that can hold a parameter, as the database holds it.</summary>
    private async Task<List<string>> StoredTextAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        var parameters = await db.Database.SqlQueryRaw<string>("SELECT CAST(\"Parameters\" AS TEXT) AS \"Value\" FROM \"Deployments\"").ToListAsync(ct);
        var states = await db.Database.SqlQueryRaw<string>("SELECT CAST(\"Workloads\" AS TEXT) AS \"Value\" FROM \"DeviceDesiredStates\"").ToListAsync(ct);
        return [.. parameters, .. states];
    }

    private async Task<IReadOnlyList<AuditEntryDto>> EntriesAsync(string action, string deviceId) =>
        (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={action}&target={Uri.EscapeDataString(AuditTargets.Device(deviceId))}", ct))!.Items;

    private async Task<DesiredState> WaitForWorkloadAsync(ConcurrentQueue<DesiredState> received)
    {
        DesiredState? found = null;
        await WaitUntilAsync(() => (found = received.LastOrDefault(s => s.Containers().Count > 0)) is not null);
        return found!;
    }

    private async Task WaitUntilAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out after 30 s.");
            await Task.Delay(100, ct);
        }
    }

    private async Task<HubConnection> ConnectAsync(string secret, ConcurrentQueue<DesiredState> received)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(address, ApiRoutes.AgentHub), o => o.AccessTokenProvider = () => Task.FromResult<string?>(secret))
            .AddMessagePackProtocol()
            .Build();
        connection.On<DesiredState>(nameof(IAgentClient.ApplyDesiredState), received.Enqueue);
        connection.On(nameof(IAgentClient.Resync), () => { });
        await connection.StartAsync(ct);
        return connection;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var device in agentDevices)
        {
            await DockerEngine.RemoveContainersOfAsync(device);
        }

        admin.Dispose();
        await portal.DisposeAsync();
        foreach (var dir in agentData.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
