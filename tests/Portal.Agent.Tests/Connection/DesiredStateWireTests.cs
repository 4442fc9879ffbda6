using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Agent.Connection;
using Portal.Agent.Enrollment;
using Portal.Agent.Tests.Inference;
using Portal.Agent.Tests.Reconciler;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Connection;

/// <summary>
/// The desired state between versions, over a real hub on 127.0.0.1 with the agent's own MessagePack connection: an
/// agent of 0.3.0 reads what an older portal sends, and an agent before 0.3.0 reads what the portal sends it.
/// </summary>
public sealed class DesiredStateWireTests : IAsyncLifetime
{
    /// <summary>The desired state exactly as agents and portals before 0.3.0 declared it.</summary>
    public sealed record OldDesiredState(long Revision, IReadOnlyList<WorkloadSpec> Workloads, IReadOnlyList<ModelWorkloadSpec>? Models = null);

    private static readonly WorkloadSpec Web = ContainerPlannerTests.Spec("web", "h1");
    private static readonly ModelWorkloadSpec Resnet = ModelPlannerTests.Model("resnet", 1, "m1");

    private WebApplication? app;
    private HubConnection? connection;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSignalR().AddMessagePackProtocol();
        app = builder.Build();
        app.MapHub<ShapesHub>(ApiRoutes.AgentHub);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var credentials = new AgentCredentials("dev1", "secret", app.Urls.First(), DateTimeOffset.UtcNow);
        connection = PortalConnection.Build(new Uri(app.Urls.First()), credentials, new JitteredRetryPolicy(Random.Shared));
        await connection.StartAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Agent_OlderPortalSendsTheOldShape_ReadsItsContainersAndModels()
    {
        var state = await new AgentHubClient(connection!, TestContext.Current.CancellationToken).GetDesiredState();

        Assert.True(state.IsWhole());
        Assert.Equal(["web"], state.Containers().Select(c => c.Name));
        Assert.Equal(["resnet"], state.ModelSpecs().Select(m => m.Name));
        Assert.Equal([WorkloadKind.Container, WorkloadKind.Model], state.All().Select(w => w.Kind));
    }

    [Fact]
    public async Task OldAgent_SentTheStateWithTheOldShape_ReadsItsContainersAndModels()
    {
        var old = await connection!.InvokeAsync<OldDesiredState>(nameof(ShapesHub.WithOldShape), TestContext.Current.CancellationToken);

        Assert.Equal(9, old.Revision);
        Assert.Equal("h1", Assert.Single(old.Workloads).SpecHash);
        Assert.Equal("m1", Assert.Single(old.Models!).SpecHash);
    }

    [Fact]
    public async Task OldAgent_SentOnlyTheNewShape_SeesNoContainerList()
    {
        // Why the portal sends agents before 0.3.0 the old lists too: without them such an agent reads no list at all.
        var old = await connection!.InvokeAsync<OldDesiredState>(nameof(ShapesHub.WithoutOldShape), TestContext.Current.CancellationToken);

        Assert.Null(old.Workloads);
    }

    [Fact]
    public async Task Agent_SentTheNewShape_ReadsBothKindsInOneList()
    {
        var state = await connection!.InvokeAsync<DesiredState>(nameof(ShapesHub.WithoutOldShape), TestContext.Current.CancellationToken);

        Assert.Null(state.Workloads);
        Assert.Equal(["web", "resnet"], state.All().Select(w => w.Name));
        Assert.Equal("local/busybox:1", Assert.Single(state.Containers()).Image);
        Assert.Equal(1, Assert.Single(state.ModelSpecs()).Version);
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
    private sealed class ShapesHub : Hub
    {
        public OldDesiredState GetDesiredState() => new(5, [Web], [Resnet]);

        public DesiredState WithOldShape() => DesiredState.Of(9, [Web], [Resnet]).WithOldShape();

        public DesiredState WithoutOldShape() => DesiredState.Of(9, [Web], [Resnet]).WithoutOldShape();
    }
}
