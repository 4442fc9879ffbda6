using Portal.Data;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Tests.Deployments;

/// <summary>The pure parts of updates in place: target changes, revisions and their rollback, flags and what a device runs.</summary>
public sealed class DeploymentRevisionPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Between_TargetsAndVersionChange_ReceiveUpdateAndLoseAreSeparate()
    {
        var changes = TargetChanges.Between(["b", "a", "c"], ["c", "d", "a"], workloadChanged: true);

        Assert.Equal(["d"], changes.Receive);
        Assert.Equal(["a", "c"], changes.Update);
        Assert.Empty(changes.Unchanged);
        Assert.Equal(["b"], changes.Lose);
    }

    [Fact]
    public void Between_OnlyTargetsChange_StayingDevicesAreUnchanged()
    {
        var changes = TargetChanges.Between(["a", "b"], ["a"], workloadChanged: false);

        Assert.Empty(changes.Update);
        Assert.Equal(["a"], changes.Unchanged);
        Assert.Equal(["b"], changes.Lose);
    }

    [Fact]
    public void Resolve_GroupsAndDevices_UnionOfMembersAndActiveDevices()
    {
        var devices = TargetChanges.Resolve(["g"], ["x", "revoked"], new Dictionary<string, List<string>> { ["g"] = ["a", "x"] }, new HashSet<string> { "a", "x" });

        Assert.Equal(["a", "x"], devices.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Begin_NewVersion_DevicesWaitOnTheOldRevisionAndKeepTheirRelease()
    {
        var d = Deployment("1", ("a", DeviceRolloutState.Running), ("b", DeviceRolloutState.Failed));

        DeploymentRevisions.Begin(d, DeploymentSnapshot.Of(d) with { Version = "2", Spec = new AppVersion("2", "img:2") }, workloadChanged: true, Now, "Revision 2");

        Assert.Equal((2, "2", "1"), (d.Revision, d.Version, d.Previous!.Version));
        Assert.Equal(DeploymentState.InProgress, d.State);
        Assert.All(d.Targets, t => Assert.Equal((DeviceRolloutState.Waiting, 1, true), (t.State, t.Revision, t.ReleasedAt is not null)));
        Assert.All(d.Targets, t => Assert.True(DeploymentRevisions.IsBehind(t, d)));
        Assert.Equal("Runs revision 1 until released", d.Targets[0].Reason);
        Assert.Equal("1", DeploymentRevisions.PreviousVersion(d));
    }

    [Fact]
    public void Begin_StrategyOnly_DevicesMoveToTheNewRevisionAsTheyAre()
    {
        var d = Deployment("1", ("a", DeviceRolloutState.Running));

        DeploymentRevisions.Begin(d, DeploymentSnapshot.Of(d) with { Strategy = new RolloutStrategy(RolloutKind.Rolling) }, workloadChanged: false, Now, "Revision 2");

        Assert.Equal((DeviceRolloutState.Running, 2), (d.Targets[0].State, d.Targets[0].Revision));
        Assert.False(DeploymentRevisions.IsBehind(d.Targets[0], d));
    }

    [Fact]
    public void Revert_FailedRevision_NextRevisionDeploysThePreviousAgainToEveryReleasedDevice()
    {
        var d = Deployment("1", ("a", DeviceRolloutState.Running), ("b", DeviceRolloutState.Running));
        DeploymentRevisions.Begin(d, DeploymentSnapshot.Of(d) with { Version = "2", Spec = new AppVersion("2", "img:2") }, workloadChanged: true, Now, "Revision 2");
        (d.Targets[0].State, d.Targets[0].Revision) = (DeviceRolloutState.Failed, 2);

        var reason = DeploymentRevisions.Revert(d, Now, "by ops");

        Assert.Equal("Revision 2 (2) rolled back to revision 1's 1: by ops", reason);
        Assert.Equal((3, "1", "img:1"), (d.Revision, d.Version, d.Spec!.Image));
        Assert.True(d.Previous!.RolledBack);
        Assert.False(DeploymentRevisions.CanRevert(d));
        Assert.Null(DeploymentRevisions.PreviousVersion(d));
        Assert.All(d.Targets, t => Assert.Equal((DeviceRolloutState.Pending, 3, Now), (t.State, t.Revision, t.ReleasedAt!.Value)));
    }

    [Fact]
    public void Step_TargetsMatchNoDevice_StaysInProgressSayingSoNotCompleted()
    {
        var decision = RolloutPlanner.Step(new RolloutStrategy(), DeploymentState.InProgress, null, [], Now);

        Assert.Equal((DeploymentState.InProgress, RolloutPlanner.NoDevices), (decision.State, decision.Reason));
        Assert.True(decision.ChangesAnything(DeploymentState.InProgress));
        Assert.False(RolloutPlanner.Step(new RolloutStrategy(), DeploymentState.InProgress, RolloutPlanner.NoDevices, [], Now).ChangesAnything(DeploymentState.InProgress, RolloutPlanner.NoDevices));
    }

    [Fact]
    public void Step_CompletedDeploymentLosesEveryDevice_GoesBackToInProgress()
    {
        var decision = RolloutPlanner.Step(new RolloutStrategy(), DeploymentState.Completed, null, [], Now);

        Assert.Equal(DeploymentState.InProgress, decision.State);
        Assert.Equal([RolloutPlanner.NoDevices], decision.Events);
    }

    [Fact]
    public void Flags_FailedRolledBackAndRevertedRevisions_AreFlaggedWithWhy()
    {
        var flags = VersionFlags.Of([
            new VersionFlags.Entry("Cam 3", "3", DeploymentState.Failed, null),
            new VersionFlags.Entry("Cam 1", "1", DeploymentState.Completed, RolledBackVersion: "2"),
            new VersionFlags.Entry("Cam 0", "0", DeploymentState.RolledBack, null),
            new VersionFlags.Entry("Cam 4", "4", DeploymentState.CompletedWithFailures, null),
        ]);

        Assert.Equal("Failed a rollout (Cam 3)", flags["3"]);
        Assert.Equal("Rolled back (Cam 1)", flags["2"]);
        Assert.Equal("Rolled back (Cam 0)", flags["0"]);
        Assert.False(flags.ContainsKey("1"));
        Assert.False(flags.ContainsKey("4"));
    }

    [Fact]
    public void Preselect_NewestIsFlagged_OffersTheNewestUnflagged()
    {
        var flags = new Dictionary<string, string> { ["3"] = "Rolled back (x)" };

        Assert.Equal("2", VersionFlags.Preselect(["1", "2", "3"], flags));
        Assert.Equal("3", VersionFlags.Preselect(["3"], flags));
        Assert.Null(VersionFlags.Preselect([], flags));
    }

    [Fact]
    public void Describe_ReportOfEachRevisionOrAnotherDeployment_SaysWhichVersionFromWhere()
    {
        var d = Deployment("1", ("a", DeviceRolloutState.Running));
        var v1 = WorkloadSpecBuilder.Build(d)!.Container!;
        DeploymentRevisions.Begin(d, DeploymentSnapshot.Of(d) with { Version = "2", Spec = new AppVersion("2", "img:2") }, workloadChanged: true, Now, "Revision 2");
        var v2 = WorkloadSpecBuilder.Build(d)!.Container!;
        var others = new Dictionary<string, DeviceRuns.Deployed> { ["old"] = new("Cam 0.9", "0.9") };

        Assert.Equal("2 · revision 2", DeviceRuns.Describe(d, Report(d.Id, v2.SpecHash, WorkloadState.Running), others));
        Assert.Equal("1 · revision 1 (Failed)", DeviceRuns.Describe(d, Report(d.Id, v1.SpecHash, WorkloadState.Failed), others));
        Assert.Equal("0.9 from deployment 'Cam 0.9'", DeviceRuns.Describe(d, Report("old", "x", WorkloadState.Running), others));
        Assert.Equal("Nothing of it", DeviceRuns.Describe(d, null, others));
    }

    private static WorkloadStatus Report(string deploymentId, string hash, WorkloadState state) =>
        new("cam", deploymentId, hash, state, null, "img", null, null, 0, null, null);

    private static Deployment Deployment(string version, params (string Id, DeviceRolloutState State)[] targets)
    {
        var d = new Deployment
        {
            Name = $"Cam {version}", SourceId = "cam", SourceName = "Cam", Version = version, Spec = new AppVersion(version, $"img:{version}"), State = DeploymentState.Completed,
        };
        d.Targets.AddRange(targets.Select(t => new DeploymentTarget { DeploymentId = d.Id, DeviceId = t.Id, State = t.State, ReleasedAt = Now.AddMinutes(-5) }));
        return d;
    }
}
