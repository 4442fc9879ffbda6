using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Docker;
using Portal.Agent.Enrollment;
using Portal.Agent.Reconciler;
using Portal.Agent.Reconciler.Commands;
using Portal.Agent.Tests.Inference;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Reconciler;

public sealed class WorkloadReconcilerTests : IDisposable
{
    private static readonly AgentCredentials Device = new("dev1", "secret", "http://127.0.0.1:1/", DateTimeOffset.UtcNow);
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("reconciler-").FullName;
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
    private readonly WorkloadReporter reporter;

    public WorkloadReconcilerTests() => reporter = new(clock, NullLogger<WorkloadReporter>.Instance);

    [Fact]
    public async Task Reconcile_DesiredStateWithBothKinds_RunsEachDriverAndReportsThemTogether()
    {
        var runtime = new FakeContainerRuntime(clock);
        var models = new RecordingModelDriver();
        var reconciler = new WorkloadReconciler(Options(), [Containers(runtime), models], reporter, clock, NullLogger<WorkloadReconciler>.Instance);
        var portal = new RecordingHub();
        await reporter.ConnectedAsync(portal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        reconciler.Apply(DesiredState.Of(5, [ContainerPlannerTests.Spec("web", "h1")], [ModelPlannerTests.Model("resnet", 1, "m1")]));
        var running = reconciler.RunAsync(Device, stop.Token);
        var report = await portal.WaitForAsync(r => r.Workloads.Count == 2).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        // Stopping ends every loop (as cancelled) and releases every driver.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        Assert.Equal(["create portal-web-dev1", "start portal-web-dev1"], runtime.Ran);
        Assert.Equal(5, models.Seen?.Revision);
        Assert.Equal(5, report.Revision);
        Assert.Equal([("web", WorkloadKind.Container), ("resnet", WorkloadKind.Model)], report.Workloads.Select(w => (w.Name, w.Kind)));
        Assert.True(models.Stopped);
    }

    [Fact]
    public async Task Reconcile_StatsTakeLongerThanTheSettleTime_JudgesTheContainerWhenItWasListed()
    {
        // Regression (4b8bc19): a container up for 1 s when listed was called Running because reading its stats had taken
        // past the settle time; it may be about to exit, so it is Starting and looked at again after Settle.
        var runtime = new FakeContainerRuntime(clock) { StatsTake = TimeSpan.FromSeconds(10) };
        runtime.Add(ContainerPlannerTests.Container("c1", "web", "h1") with { StartedAt = clock.GetUtcNow() - TimeSpan.FromSeconds(1) });
        var driver = Containers(runtime);
        driver.Start(Device);

        var report = await driver.ReconcileAsync(DesiredState.Of(1, [ContainerPlannerTests.Spec("web", "h1")]), TestContext.Current.CancellationToken);

        Assert.Equal(WorkloadState.Starting, Assert.Single(report.Statuses).State);
        Assert.Equal(WorkloadStatusBuilder.Settle, report.LookAgainIn);
    }

    public void Dispose()
    {
        reporter.Dispose();
        Directory.Delete(dataDirectory, recursive: true);
    }

    private IOptions<AgentOptions> Options() =>
        Microsoft.Extensions.Options.Options.Create(new AgentOptions { DataDirectory = dataDirectory, ReconcileIntervalSeconds = 3600 });

    private ContainerDriver Containers(IContainerRuntimeFactory runtime) => new(
        Options(), runtime, new PlanRunner<ContainerCommandContext>(clock, NullLogger<PlanRunner<ContainerCommandContext>>.Instance),
        new LogFollower(NullLogger<LogFollower>.Instance), reporter, clock, NullLogger<ContainerDriver>.Instance);

    /// <summary>Stands in for the model driver: every desired model is Ready at once.</summary>
    private sealed class RecordingModelDriver : IWorkloadDriver
    {
        public WorkloadKind Kind => WorkloadKind.Model;

        public DesiredState? Seen { get; private set; }

        public bool Stopped { get; private set; }

        public void Start(AgentCredentials credentials)
        {
        }

        public Task<DriverReport> ReconcileAsync(DesiredState desired, CancellationToken ct)
        {
            Seen = desired;
            return Task.FromResult(new DriverReport([.. desired.ModelSpecs().Select(m => new WorkloadStatus(
                m.Name, m.DeploymentId, m.SpecHash, WorkloadState.Ready, null, m.Name, null, null, 0, null, null, null, WorkloadKind.Model))]));
        }

        public ValueTask StopAsync()
        {
            Stopped = true;
            return ValueTask.CompletedTask;
        }
    }
}
