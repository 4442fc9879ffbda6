using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using static Portal.Features.Deployments.RolloutPlanner;

namespace Portal.Tests.Deployments;

public sealed class RolloutPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly RolloutStrategy Rolling = new(RolloutKind.Rolling, BatchSize: 2, FailureThresholdPercent: 50, MinDevicesTried: 2, DeviceTimeoutSeconds: 60);

    [Fact]
    public void Step_AllAtOnce_ReleasesEveryWaitingDevice()
    {
        var decision = Step(new RolloutStrategy(), DeploymentState.InProgress, null, [Waiting("a"), Waiting("b"), Waiting("c")], Now);

        Assert.Equal(["a", "b", "c"], decision.Release);
        Assert.Equal(DeploymentState.InProgress, decision.State);
    }

    [Fact]
    public void Step_RollingWithNothingInFlight_ReleasesOneBatchInIdOrder()
    {
        var decision = Step(Rolling, DeploymentState.InProgress, null, [Waiting("c"), Waiting("a"), Waiting("b")], Now);

        Assert.Equal(["a", "b"], decision.Release);
        Assert.Contains("Released a batch of 2 devices (2 of 3)", decision.Events);
    }

    [Fact]
    public void Step_RollingWithABatchInFlight_ReleasesNothingMore()
    {
        var decision = Step(Rolling, DeploymentState.InProgress, null, [Released("a", DeviceRolloutState.Running), Released("b", DeviceRolloutState.Pulling), Waiting("c")], Now);

        Assert.False(decision.ChangesAnything(DeploymentState.InProgress));
    }

    [Fact]
    public void Step_FailuresAboveThreshold_PausesWithTheReason()
    {
        var decision = Step(Rolling, DeploymentState.InProgress, null, [Released("a", DeviceRolloutState.Failed), Released("b", DeviceRolloutState.Failed), Waiting("c")], Now);

        Assert.Empty(decision.Release);
        Assert.Equal(DeploymentState.Paused, decision.State);
        Assert.Equal("2 of 2 devices tried failed (100%), above the 50% threshold", decision.Reason);
    }

    [Fact]
    public void Step_FailuresAboveThresholdWithRollback_RollsBack()
    {
        var decision = Step(Rolling with { OnFailure = FailureAction.Rollback }, DeploymentState.InProgress, null,
            [Released("a", DeviceRolloutState.Failed), Released("b", DeviceRolloutState.Failed), Waiting("c")], Now);

        Assert.Equal(DeploymentState.RolledBack, decision.State);
    }

    [Fact]
    public void Step_FewerTriedThanTheMinimum_DoesNotJudgeYet()
    {
        var decision = Step(Rolling with { BatchSize = 1 }, DeploymentState.InProgress, null, [Released("a", DeviceRolloutState.Failed), Waiting("b")], Now);

        Assert.Equal(DeploymentState.InProgress, decision.State);
        Assert.Equal(["b"], decision.Release);
    }

    [Fact]
    public void Step_ResumedAfterAcceptingFailures_CarriesOn()
    {
        var decision = Step(Rolling, DeploymentState.InProgress, null,
            [Released("a", DeviceRolloutState.Failed), Released("b", DeviceRolloutState.Failed), Waiting("c")], Now, failuresAccepted: 2);

        Assert.Equal(["c"], decision.Release);
    }

    [Fact]
    public void Step_ReleasedDeviceSilentPastTheTimeout_IsTimedOut()
    {
        var decision = Step(Rolling, DeploymentState.InProgress, null, [Released("a", DeviceRolloutState.Pending, Now.AddSeconds(-61)), Waiting("b")], Now);

        Assert.Equal(["a"], decision.TimedOut);
    }

    [Fact]
    public void Step_EveryDeviceTried_Completes()
    {
        var decision = Step(Rolling, DeploymentState.InProgress, null, [Released("a", DeviceRolloutState.Running), Released("b", DeviceRolloutState.Running)], Now);

        Assert.Equal(DeploymentState.Completed, decision.State);
        Assert.Equal(["Completed: all 2 devices running"], decision.Events);
    }

    [Fact]
    public void Step_PausedDeployment_ReleasesNothing()
    {
        var decision = Step(Rolling, DeploymentState.Paused, "by operator", [Waiting("a")], Now);

        Assert.Empty(decision.Release);
        Assert.Equal(DeploymentState.Paused, decision.State);
    }

    [Fact]
    public void Step_CompletedDeploymentWithANewGroupMember_ReleasesItAtOnce()
    {
        var decision = Step(Rolling, DeploymentState.Completed, null, [Released("a", DeviceRolloutState.Running), Waiting("z")], Now);

        Assert.Equal(["z"], decision.Release);
        Assert.Equal(DeploymentState.Completed, decision.State);
    }

    private static Target Waiting(string id) => new(id, DeviceRolloutState.Waiting, null);

    private static Target Released(string id, DeviceRolloutState state, DateTimeOffset? at = null) => new(id, state, at ?? Now.AddSeconds(-5));
}
