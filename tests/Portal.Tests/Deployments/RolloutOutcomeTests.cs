using Portal.Shared.Deployments;
using static Portal.Features.Deployments.RolloutPlanner;

namespace Portal.Tests.Deployments;

/// <summary>What a deployment says once every device was tried: completed, with failures, failed, superseded.</summary>
public sealed class RolloutOutcomeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly RolloutStrategy AllAtOnce = new(RolloutKind.AllAtOnce, DeviceTimeoutSeconds: 60);

    [Fact]
    public void Step_AllAtOnceEveryDeviceFailed_IsFailedWithTheFirstReason()
    {
        var decision = Step(AllAtOnce, DeploymentState.InProgress, null,
            [Released("a", DeviceRolloutState.Failed, "image not found"), Released("b", DeviceRolloutState.Failed, "exited 3")], Now);

        Assert.Equal(DeploymentState.Failed, decision.State);
        Assert.Equal("All 2 devices failed (first: a: image not found)", decision.Reason);
        Assert.Equal(["Failed: 0 running, 2 failed"], decision.Events);
    }

    [Fact]
    public void Step_AllAtOnceEveryDeviceSilentPastTheTimeout_IsFailedSayingSo()
    {
        var decision = Step(AllAtOnce, DeploymentState.InProgress, null, [Released("a", DeviceRolloutState.Pending, at: Now.AddMinutes(-5))], Now);

        Assert.Equal(["a"], decision.TimedOut);
        Assert.Equal(DeploymentState.Failed, decision.State);
        Assert.Equal("All 1 device failed (first: a: did not report Running in time)", decision.Reason);
    }

    [Fact]
    public void Step_SomeDevicesFailed_IsCompletedWithFailuresNOfM()
    {
        var decision = Step(AllAtOnce, DeploymentState.InProgress, null,
            [Released("a", DeviceRolloutState.Running), Released("b", DeviceRolloutState.Failed, "exited 3"), Released("c", DeviceRolloutState.Running)], Now);

        Assert.Equal(DeploymentState.CompletedWithFailures, decision.State);
        Assert.Equal("1 of 3 devices failed (first: b: exited 3)", decision.Reason);
        Assert.Equal(["Completed with failures: 2 running, 1 failed"], decision.Events);
    }

    [Fact]
    public void Step_EveryDeviceSuperseded_IsSupersededNamingTheNewerDeployment()
    {
        var decision = Step(AllAtOnce, DeploymentState.Completed, null,
            [Superseded("a", "Superseded by deployment d2 (v2)"), Superseded("b", "Superseded by deployment d2 (v2)")], Now);

        Assert.Equal(DeploymentState.Superseded, decision.State);
        Assert.Equal("Superseded by deployment d2 (v2)", decision.Reason);
        Assert.Empty(decision.Release);
        Assert.Empty(decision.TimedOut);
    }

    [Fact]
    public void Step_PartlySuperseded_CompletesOnTheRestAndCountsTheSuperseded()
    {
        var decision = Step(AllAtOnce, DeploymentState.InProgress, null,
            [Released("a", DeviceRolloutState.Running), Superseded("b", "Superseded by deployment d2 (v2)", released: false)], Now);

        Assert.Empty(decision.Release);
        Assert.Equal(DeploymentState.Completed, decision.State);
        Assert.Equal("1 device superseded", decision.Reason);
    }

    [Fact]
    public void Step_SupersededDeviceSilentPastTheTimeout_IsNeverTimedOut()
    {
        var decision = Step(AllAtOnce, DeploymentState.InProgress, null,
            [Released("a", DeviceRolloutState.Running), Superseded("b", "Superseded by deployment d2 (v2)", at: Now.AddHours(-1))], Now);

        Assert.Empty(decision.TimedOut);
        Assert.Equal(DeploymentState.Completed, decision.State);
    }

    [Fact]
    public void Step_FailedDeploymentWhoseDeviceRecovered_IsCompleted()
    {
        var decision = Step(AllAtOnce, DeploymentState.Failed, "All 1 device failed", [Released("a", DeviceRolloutState.Running)], Now);

        Assert.Equal(DeploymentState.Completed, decision.State);
        Assert.True(decision.ChangesAnything(DeploymentState.Failed, "All 1 device failed"));
    }

    [Fact]
    public void Step_SettledAndUnchanged_ChangesNothing()
    {
        var decision = Step(AllAtOnce, DeploymentState.CompletedWithFailures, "1 of 2 devices failed (first: b: x)",
            [Released("a", DeviceRolloutState.Running), Released("b", DeviceRolloutState.Failed, "x")], Now);

        Assert.False(decision.ChangesAnything(DeploymentState.CompletedWithFailures, "1 of 2 devices failed (first: b: x)"));
    }

    [Fact]
    public void Step_SupersededDeploymentHandedADeviceBack_IsInProgressAgain()
    {
        var decision = Step(AllAtOnce, DeploymentState.Superseded, "Superseded by deployment d2 (v2)",
            [Released("a", DeviceRolloutState.Pending), Superseded("b", "Superseded by deployment d2 (v2)")], Now);

        Assert.Equal(DeploymentState.InProgress, decision.State);
        Assert.Null(decision.Reason);
    }

    [Fact]
    public void Step_SkippedDevices_AreNeitherReleasedNorTriedAndTheOutcomeCountsThem()
    {
        var decision = Step(AllAtOnce, DeploymentState.InProgress, null,
            [Released("a", DeviceRolloutState.Running), new Target("b", DeviceRolloutState.Skipped, null, "Skipped: b cannot run containers")], Now);

        Assert.Empty(decision.Release);
        Assert.Equal(DeploymentState.Completed, decision.State);
        Assert.Equal("1 device skipped", decision.Reason);
        Assert.Equal(["Completed: all 1 device running; 1 device skipped"], decision.Events);
    }

    [Fact]
    public void Step_EveryDeviceSkipped_IsFailedSayingNoDeviceCouldRunIt()
    {
        var decision = Step(AllAtOnce, DeploymentState.InProgress, null, [new Target("b", DeviceRolloutState.Skipped, null, "Skipped: no Docker")], Now);

        Assert.Equal(DeploymentState.Failed, decision.State);
        Assert.Equal("No device could run it: 1 device skipped", decision.Reason);
    }

    private static Target Released(string id, DeviceRolloutState state, string? reason = null, DateTimeOffset? at = null) => new(id, state, at ?? Now.AddSeconds(-5), reason);

    private static Target Superseded(string id, string reason, bool released = true, DateTimeOffset? at = null) =>
        new(id, DeviceRolloutState.Superseded, released ? at ?? Now.AddSeconds(-5) : null, reason);
}
