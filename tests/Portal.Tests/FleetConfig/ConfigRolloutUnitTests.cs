using Portal.Data;
using Portal.Features.Deployments;
using Portal.Features.FleetConfig;
using Portal.Shared.Config;
using Portal.Shared.Deployments;
using Portal.Shared.Workloads;

namespace Portal.Tests.FleetConfig;

/// <summary>A config rollout's two pure parts: held devices resolve the values before the change; a released device is judged by its report.</summary>
public sealed class ConfigRolloutUnitTests
{
    [Fact]
    public void Snapshot_DeviceHeldByARollout_GetsTheLevelsValuesFromBeforeTheChange_OthersTheNewOnes()
    {
        var group = new ConfigSet { Level = ConfigLevel.Group, OwnerId = "g1", Values = new() { ["GREETING"] = "v2" }, Files = new() { ["a.conf"] = "new" } };
        var fleet = new ConfigSet { Level = ConfigLevel.Fleet, OwnerId = "", Values = new() { ["SITE"] = "plant" } };
        var hold = new ConfigHold(ConfigLevel.Group, "g1", new Dictionary<string, string> { ["GREETING"] = "v1" }, new Dictionary<string, string> { ["a.conf"] = "old" }, new HashSet<string> { "held" });
        var snapshot = new FleetConfigSnapshot([fleet, group], [], [("g1", new HashSet<string> { "held", "released" })], [hold]);

        var held = snapshot.For("held");
        var released = snapshot.For("released");

        Assert.Equal(("v1", "old", "plant"), (held.Values["GREETING"], held.Files!["a.conf"], held.Values["SITE"]));
        Assert.Equal(("v2", "new", "plant"), (released.Values["GREETING"], released.Files!["a.conf"], released.Values["SITE"]));
    }

    [Fact]
    public void Judge_BeforeTheCarryingRevisionIsReported_Pending()
    {
        var row = Row(reportedRevision: 9, Report("web", "h2", WorkloadState.Running));

        Assert.Equal((DeviceRolloutState.Pending, null), ConfigRolloutJudge.Judge(row, expectedRevision: 10));
    }

    [Fact]
    public void Judge_EveryWorkloadRunsWithItsNewSpec_Running()
    {
        var row = Row(reportedRevision: 10, Report("web", "h2", WorkloadState.Running), Report("db", "d1", WorkloadState.Running));

        Assert.Equal((DeviceRolloutState.Running, null), ConfigRolloutJudge.Judge(row, 10));
    }

    [Fact]
    public void Judge_AWorkloadFailed_FailedWithItsReason()
    {
        var row = Row(reportedRevision: 11, Report("web", "h2", WorkloadState.Failed, "Keeps exiting (exit code 3)"), Report("db", "d1", WorkloadState.Running));

        Assert.Equal((DeviceRolloutState.Failed, "web: Keeps exiting (exit code 3)"), ConfigRolloutJudge.Judge(row, 10));
    }

    [Fact]
    public void Judge_TheOldSpecStillRuns_NotRunningYet()
    {
        // The report is of the right revision, but the container with the new spec is still being pulled.
        var row = Row(reportedRevision: 10, Report("web", "h1", WorkloadState.Running), Report("web", "h2", WorkloadState.Pulling), Report("db", "d1", WorkloadState.Running));

        Assert.Equal((DeviceRolloutState.Pulling, null), ConfigRolloutJudge.Judge(row, 10));
    }

    [Fact]
    public void Judge_AWorkloadTheChangeDidNotTouchFails_TheDeviceStillRunsTheChange()
    {
        // Before the release the device ran web@h1 and db@d1; the change recreated web only. db failing on its own is not
        // the config change's failure (it would otherwise pause or roll back a rollout that broke nothing).
        var before = ConfigRolloutJudge.Keys(Row(reportedRevision: 9, items: [Desired("web", "h1"), Desired("db", "d1")]));
        var row = Row(reportedRevision: 10, Report("web", "h2", WorkloadState.Running), Report("db", "d1", WorkloadState.Failed, "Keeps exiting (exit code 1)"));

        Assert.Equal((DeviceRolloutState.Running, null), ConfigRolloutJudge.Judge(row, 10, before));
        Assert.Equal(DeviceRolloutState.Failed, ConfigRolloutJudge.Judge(row, 10).State);
    }

    [Fact]
    public void Judge_TheChangeTouchedNoWorkloadOfTheDevice_RunningOnceTheRevisionIsReported()
    {
        var before = ConfigRolloutJudge.Keys(Row(reportedRevision: 9));
        var row = Row(reportedRevision: 10, Report("web", "h2", WorkloadState.Starting), Report("db", "d1", WorkloadState.Stopped));

        Assert.Equal((DeviceRolloutState.Running, null), ConfigRolloutJudge.Judge(row, 10, before));
        Assert.Equal((DeviceRolloutState.Pending, null), ConfigRolloutJudge.Judge(row, 11, before));
    }

    [Fact]
    public void Judge_TheChangedWorkloadFails_FailedWithItsReason_EvenWhenOthersAreUntouched()
    {
        var before = ConfigRolloutJudge.Keys(Row(reportedRevision: 9, items: [Desired("web", "h1"), Desired("db", "d1")]));
        var row = Row(reportedRevision: 10, Report("web", "h2", WorkloadState.Failed, "bad config"), Report("db", "d1", WorkloadState.Running));

        Assert.Equal((DeviceRolloutState.Failed, "web: bad config"), ConfigRolloutJudge.Judge(row, 10, before));
    }

    private static DeviceDesiredState Row(long reportedRevision, DesiredWorkload[] items, params WorkloadStatus[] reported)
    {
        var row = new DeviceDesiredState { DeviceId = "d1", Revision = 10, ReportedRevision = reportedRevision, Reported = [.. reported] };
        row.SetItems(items);
        return row;
    }

    private static DeviceDesiredState Row(long reportedRevision, params WorkloadStatus[] reported)
    {
        var row = new DeviceDesiredState { DeviceId = "d1", Revision = 10, ReportedRevision = reportedRevision, Reported = [.. reported] };
        row.SetItems([Desired("web", "h2"), Desired("db", "d1")]);
        return row;
    }

    private static DesiredWorkload Desired(string name, string hash) => DesiredWorkload.Of(
        new WorkloadSpec(name, "dep-" + name, "local/busybox:1", [], new Dictionary<string, string>(), [], [], "unless-stopped", "host", new ResourceLimits(), hash));

    private static WorkloadStatus Report(string name, string hash, WorkloadState state, string? reason = null) =>
        new(name, "dep-" + name, hash, state, reason, "local/busybox:1", null, null, 0, null, null);
}
