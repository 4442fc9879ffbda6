using Portal.Agent.Reconciler;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Reconciler;

public sealed class ProgressThrottleTests
{
    [Theory]
    [InlineData(null, WorkloadState.Pulling, 0, true)]
    [InlineData(0, WorkloadState.Pulling, 9, false)]
    [InlineData(0, WorkloadState.Pulling, 10, true)]
    [InlineData(95, WorkloadState.Pulling, 100, true)]
    [InlineData(40, WorkloadState.Starting, null, true)]
    public void Tells_OnlyStepsOfTenStateChangesAndTheEnd(int? before, WorkloadState state, int? after, bool told)
    {
        var previous = before is null ? null : Status(WorkloadState.Pulling, before);

        Assert.Equal(told, ProgressThrottle.Tells(previous, Status(state, after)));
    }

    [Fact]
    public void Tells_SameProgressNewReason_Tells() =>
        Assert.True(ProgressThrottle.Tells(Status(WorkloadState.Downloading, 5), Status(WorkloadState.Downloading, 6) with { Reason = "slow link" }));

    private static WorkloadStatus Status(WorkloadState state, int? percent) =>
        new("web", "dep1", "h1", state, null, "local/busybox:1", null, null, 0, null, null, percent);
}
