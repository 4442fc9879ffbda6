using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Shared.Audit;
using Portal.Shared.Config;
using Portal.Shared.DataFlows;
using Portal.Shared.Deployments;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// The data flow API without agents: versions, hostile bodies, deploying and updating a flow deployment, and the
/// broker password kept encrypted in the stored desired state while the device's copy has it in plain.
/// </summary>
public sealed class DataFlowApiTests : IAsyncLifetime
{
    private const string Password = "broker-Passw0rd-9";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;
    private Uri address = default!;

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Models:SeedSamples"] = "true";
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task Versions_AreNumbered_Immutable_AndKeepTheFlowsName()
    {
        var spec = SolarFlow.Build(502, 1883, pollMs: 1000, password: "${secret:MQTT_PASSWORD}");
        var created = await CreateAsync(spec);
        using var renamed = await admin.PostAsJsonAsync(ApiRoutes.DataFlowVersions(created.Name), new AddDataFlowVersionRequest(spec with { Name = "other" }), ct);
        using var second = await admin.PostAsJsonAsync(ApiRoutes.DataFlowVersions(created.Name), new AddDataFlowVersionRequest(spec with { Sinks = spec.Sinks!.Take(2).ToList() }, "no setpoint"), ct);
        using var duplicate = await admin.PostAsJsonAsync(ApiRoutes.DataFlows, new CreateDataFlowRequest(spec), ct);

        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        Assert.Contains("keeps its flow's name", await DetailAsync(renamed), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var flow = (await admin.GetFromJsonAsync<DataFlowDto>(ApiRoutes.DataFlow(created.Name), ct))!;
        Assert.Equal([2, 1], flow.Versions.Select(v => v.Version));
        Assert.Equal("no setpoint", flow.Versions[0].Notes);
        Assert.Equal(3, flow.Versions[1].Spec.Sinks!.Count);
        var version = (await admin.GetFromJsonAsync<DataFlowVersionDto>(ApiRoutes.DataFlowVersion(created.Id, 1), ct))!;
        Assert.Equal(1, version.ModelVersion);
        var audit = await admin.GetStringAsync($"{ApiRoutes.Audit}?action=dataflow.version.added", ct);
        Assert.Contains("solar-forecast v2", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileBodies_AreProblemsThatNameTheStep_NeverServerErrors()
    {
        var spec = SolarFlow.Build(502, 1883);
        var bodies = new (object Body, string Expected)[]
        {
            (new { }, "spec"),
            (new { spec = new { name = "x" } }, "source"),
            (new { spec = new { name = "bad name!", connections = Array.Empty<object>(), sources = Array.Empty<object>() } }, "name"),
            (new CreateDataFlowRequest(spec with { Sources = [spec.Sources[0] with { Connection = "nowhere" }] }), "nowhere"),
            (new CreateDataFlowRequest(spec with { Model = spec.Model! with { Inputs = [new FlowModelInput("features", ["sun_elevation"])] } }), "features"),
            (new { spec = new { name = "nulls", connections = new object?[] { null }, sources = new object?[] { null } } }, ""),
        };
        foreach (var (body, expected) in bodies)
        {
            using var response = await admin.PostAsJsonAsync(ApiRoutes.DataFlows, body, ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(expected, await DetailAsync(response), StringComparison.OrdinalIgnoreCase);
        }

        using var unknownKind = await admin.PostAsync(ApiRoutes.DataFlows,
            new StringContent("""{"spec":{"name":"k","connections":[{"name":"c","kind":"Profibus"}],"sources":[]}}""", System.Text.Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.StatusCode);
        Assert.Empty(await admin.GetFromJsonAsync<List<DataFlowDto>>(ApiRoutes.DataFlows, ct) ?? []);
    }

    [Fact]
    public async Task Deployment_IsUpdatedToTheNextVersion_AndTheSecretIsEncryptedAtRestButPlainForTheDevice()
    {
        using (var secret = await admin.PutAsJsonAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "MQTT_PASSWORD"), new SaveSecretRequest(Password), ct))
        {
            Assert.True(secret.IsSuccessStatusCode);
        }

        var spec = SolarFlow.Build(502, 1883, password: "${secret:MQTT_PASSWORD}");
        var flow = await CreateAsync(spec);
        using (var v2 = await admin.PostAsJsonAsync(ApiRoutes.DataFlowVersions(flow.Id), new AddDataFlowVersionRequest(spec with { Sinks = spec.Sinks!.Take(2).ToList() }), ct))
        {
            Assert.Equal(HttpStatusCode.Created, v2.StatusCode);
        }

        var device = await ApiClient.EnrollDeviceAsync(admin, "plant-gw", ct);
        using (var withParameters = await admin.PostAsJsonAsync(ApiRoutes.Deployments, new CreateDeploymentRequest(null, null, DataFlowId: flow.Id, DataFlowVersion: 1,
            Parameters: new Dictionary<string, string> { ["X"] = "1" }, DeviceIds: [device.DeviceId]), ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, withParameters.StatusCode);
        }

        var deployed = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, DataFlowId: flow.Name, DataFlowVersion: 1, DeviceIds: [device.DeviceId]), ct);
        Assert.Equal((DeploymentKind.DataFlow, "solar-forecast v1", flow.Id), (deployed.Kind, deployed.Name, deployed.AppId));
        var first = await FlowOnDeviceAsync(device.DeviceId, f => f.Sinks!.Count == 3);

        using var patched = await admin.PatchAsJsonAsync(ApiRoutes.Deployment(deployed.Id), new UpdateDeploymentRequest(DataFlowVersion: 2), ct);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var updated = (await patched.Content.ReadFromJsonAsync<DeploymentDto>(ct))!;
        Assert.Equal(("2", "solar-forecast v2", 2), (updated.Version, updated.Name, updated.Revision));
        var second = await FlowOnDeviceAsync(device.DeviceId, f => f.Sinks!.Count == 2);
        Assert.NotEqual(first.SpecHash, second.SpecHash);

        // Stored: the password only in its protected form. Sent to the device: in plain.
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        var row = await db.DesiredStates.AsNoTracking().SingleAsync(s => s.DeviceId == device.DeviceId, ct);
        var stored = Assert.Single(row.DataFlows).Flow.Connections[1].Mqtt!.Password!;
        Assert.StartsWith("{enc:v1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, System.Text.Json.JsonSerializer.Serialize(row.DataFlows), StringComparison.Ordinal);
        Assert.Equal(Password, second.Flow.Connections[1].Mqtt!.Password);
        using var deleteInUse = await admin.DeleteAsync(ApiRoutes.DataFlow(flow.Name), ct);
        Assert.Equal(HttpStatusCode.Conflict, deleteInUse.StatusCode);
        Assert.Contains("solar-forecast v2", await DetailAsync(deleteInUse), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentVersionLearnedAfterThePush_TheFlowReachesTheAgentInANewRevision()
    {
        var flow = await CreateAsync(SolarFlow.Build(502, 1883));
        var device = await ApiClient.EnrollDeviceAsync(admin, "late-inventory", ct);
        var pushed = new System.Collections.Concurrent.ConcurrentQueue<Portal.Shared.Workloads.DesiredState>();
        await using var hub = new Microsoft.AspNetCore.SignalR.Client.HubConnectionBuilder()
            .WithUrl(new Uri(address, ApiRoutes.AgentHub), o => o.AccessTokenProvider = () => Task.FromResult<string?>(device.DeviceSecret))
            .AddMessagePackProtocol()
            .Build();
        hub.On<Portal.Shared.Workloads.DesiredState>(nameof(Portal.Shared.Hubs.IAgentClient.ApplyDesiredState), pushed.Enqueue);
        await hub.StartAsync(ct);

        // Deployed while the portal does not know the agent's version: the device is sent no flow.
        await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, DataFlowId: flow.Id, DataFlowVersion: 1, DeviceIds: [device.DeviceId]), ct);
        var before = await WaitAsync(() => pushed.LastOrDefault());
        Assert.Empty(before.DataFlows());

        // Its first inventory says 0.4.0: the same state, now with the flow, under a newer revision the agent will take.
        await hub.InvokeAsync(nameof(Portal.Shared.Hubs.IAgentHub.ReportInventory), new Portal.Shared.Devices.DeviceInventory(
            "gw", "Linux", "6", "X64", "cpu", 2, 1 << 30, 1L << 34, 1L << 33, "0.4.0", null, null, [], []), ct);
        var after = await WaitAsync(() => pushed.LastOrDefault(s => s.DataFlows().Count == 1));
        Assert.True(after.Revision > before.Revision);
    }

    private async Task<T> WaitAsync<T>(Func<T?> probe)
        where T : class
    {
        for (var i = 0; i < 120; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException("Nothing arrived.");
    }

    /// <summary>The flow as the device receives it (the stored desired state with its secrets revealed), once it matches.</summary>
    private async Task<Portal.Shared.Workloads.DataFlowWorkloadSpec> FlowOnDeviceAsync(string deviceId, Func<DataFlowSpec, bool> done)
    {
        var secrets = portal.Services.GetRequiredService<Portal.Security.SecretParameters>();
        var dbFactory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        for (var i = 0; i < 120; i++)
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                if (await db.DesiredStates.AsNoTracking().FirstOrDefaultAsync(s => s.DeviceId == deviceId, ct) is { } row
                    && secrets.Reveal(row.State()).DataFlows() is [var flow] && done(flow.Flow))
                {
                    return flow;
                }
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException("The device's desired state never held the expected flow.");
    }

    private async Task<DataFlowDto> CreateAsync(DataFlowSpec spec)
    {
        using var created = await admin.PostAsJsonAsync(ApiRoutes.DataFlows, new CreateDataFlowRequest(spec), ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(ct));
        return (await created.Content.ReadFromJsonAsync<DataFlowDto>(ct))!;
    }

    private async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ProblemDetails>(ct))?.Detail ?? "";

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }
}
