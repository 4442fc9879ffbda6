using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Agent.Connection;
using Portal.Agent.Enrollment;
using Portal.Shared.Hubs;
using Portal.Shared.Routes;
using Portal.Shared.Telemetry;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Connection;

/// <summary>The agent's typed hub client against a small real hub on 127.0.0.1 that answers or refuses like the portal's.</summary>
public sealed class AgentHubClientTests : IAsyncLifetime
{
    private WebApplication? app;
    private HubConnection? connection;
    private AgentHubClient hub = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSignalR().AddMessagePackProtocol();
        app = builder.Build();
        app.MapHub<TestHub>(ApiRoutes.AgentHub);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var credentials = new AgentCredentials("dev1", "secret", app.Urls.First(), DateTimeOffset.UtcNow);
        connection = PortalConnection.Build(new Uri(app.Urls.First()), credentials, new JitteredRetryPolicy(Random.Shared));
        await connection.StartAsync(TestContext.Current.CancellationToken);
        hub = new AgentHubClient(connection, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Call_PortalAnswers_ReturnsItsTypedResult()
    {
        var state = await hub.GetDesiredState();
        var acknowledged = await hub.SendTelemetry(new TelemetryBatch([], 0));

        Assert.True(hub.IsConnected);
        Assert.Equal(42, state.Revision);
        Assert.Equal(7, acknowledged);
    }

    [Fact]
    public async Task Call_PortalRejectsTheTelemetry_ThrowsTheTypedRejectionWithTheReason()
    {
        var rejected = await Assert.ThrowsAsync<AgentHubRejectedException>(() => hub.SendTelemetry(new TelemetryBatch([], 1)));

        Assert.Equal(AgentHubRejections.Telemetry, rejected.Rejection);
        Assert.Equal("a sample is from the future.", rejected.Reason);
    }

    [Fact]
    public async Task Call_PortalOverBudget_ThrowsTooManyCalls()
    {
        var rejected = await Assert.ThrowsAsync<AgentHubRejectedException>(() => hub.Heartbeat(5));

        Assert.Equal(AgentHubRejections.TooManyCalls, rejected.Rejection);
    }

    [Fact]
    public async Task Call_OtherHubError_StaysAHubException()
    {
        var error = await Assert.ThrowsAsync<HubException>(() => hub.ReportWorkloads(new WorkloadReport(1, [], DateTimeOffset.UtcNow)));

        Assert.Contains("something else", error.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "SignalR calls hub methods on an instance.")]
    private sealed class TestHub : Hub
    {
        public Task<DesiredState> GetDesiredState() => Task.FromResult(DesiredState.Of(42, [], []));

        public long SendTelemetry(TelemetryBatch batch) => batch.DroppedSinceLastBatch == 0
            ? 7
            : throw new HubException(AgentHubRejections.Message(AgentHubRejections.Telemetry, "a sample is from the future."));

        public void Heartbeat(int intervalSeconds) =>
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.TooManyCalls, $"slow down ({intervalSeconds} s)."));

        public void ReportWorkloads(WorkloadReport report) => throw new HubException($"something else ({report.Revision})");
    }
}
