using Portal.Agent.Docker;
using Portal.Agent.Reconciler;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Reconciler;

public sealed class WorkloadStatusBuilderTests
{
    private static readonly Dictionary<string, ContainerStats> NoStats = [];
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow.AddMinutes(1);

    [Fact]
    public void Build_JustStarted_IsStartingUntilItSettles()
    {
        var desired = DesiredState.Of(1, [ContainerPlannerTests.Spec("web", "h1")]);
        var container = ContainerPlannerTests.Container("c1", "web", "h1") with { StartedAt = Now.AddSeconds(-1) };

        var status = Assert.Single(WorkloadStatusBuilder.Build(desired, [container], new Dictionary<string, string>(), NoStats, Now));

        Assert.Equal(WorkloadState.Starting, status.State);
    }

    [Fact]
    public void Build_RestartedByDockerMomentsAgo_IsFailed()
    {
        var desired = DesiredState.Of(1, [ContainerPlannerTests.Spec("web", "h1")]);
        var container = ContainerPlannerTests.Container("c1", "web", "h1") with { StartedAt = Now.AddSeconds(-4), RestartCount = 2, ExitCode = 3 };

        var status = Assert.Single(WorkloadStatusBuilder.Build(desired, [container], new Dictionary<string, string>(), NoStats, Now));

        Assert.Equal(WorkloadState.Failed, status.State);
    }

    [Fact]
    public void Build_RunningContainerWithStats_IsRunningWithCpuAndMemory()
    {
        var desired = DesiredState.Of(1, [ContainerPlannerTests.Spec("web", "h1")]);
        var stats = new Dictionary<string, ContainerStats> { ["c1"] = new(12.5, 4096) };

        var status = Assert.Single(WorkloadStatusBuilder.Build(desired, [ContainerPlannerTests.Container("c1", "web", "h1")], new Dictionary<string, string>(), stats, Now));

        Assert.Equal(WorkloadState.Running, status.State);
        Assert.Equal(12.5, status.CpuPercent);
        Assert.Equal(4096, status.MemoryBytes);
    }

    [Fact]
    public void Build_PullFailed_IsFailedWithTheEnginesReason()
    {
        var desired = DesiredState.Of(1, [ContainerPlannerTests.Spec("web", "h1", "local/missing:1")]);
        var failures = new Dictionary<string, string> { ["web"] = "pull access denied for local/missing" };

        var status = Assert.Single(WorkloadStatusBuilder.Build(desired, [], failures, NoStats, Now));

        Assert.Equal(WorkloadState.Failed, status.State);
        Assert.Equal("pull access denied for local/missing", status.Reason);
    }

    [Fact]
    public void Build_ContainerKeepsExiting_IsFailedWithExitCode()
    {
        var desired = DesiredState.Of(1, [ContainerPlannerTests.Spec("web", "h1")]);
        var container = ContainerPlannerTests.Container("c1", "web", "h1", running: false) with { Restarting = true, ExitCode = 3, RestartCount = 4 };

        var status = Assert.Single(WorkloadStatusBuilder.Build(desired, [container], new Dictionary<string, string>(), NoStats, Now));

        Assert.Equal(WorkloadState.Failed, status.State);
        Assert.Contains("exit code 3", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OldSpecStillRunning_IsPending()
    {
        var desired = DesiredState.Of(2, [ContainerPlannerTests.Spec("web", "h2")]);

        var status = Assert.Single(WorkloadStatusBuilder.Build(desired, [ContainerPlannerTests.Container("c1", "web", "h1")], new Dictionary<string, string>(), NoStats, Now));

        Assert.Equal(WorkloadState.Pending, status.State);
    }
}
