using Portal.Features.Dashboard;
using Portal.Shared.Deployments;
using Portal.Shared.Workloads;

namespace Portal.Tests.Dashboard;

public sealed class FleetProblemsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    private static DeviceFact Device(string id, bool online = true, DateTimeOffset? lastSeen = null) =>
        new(id, $"press-{id}", online, Now.AddDays(-30), lastSeen ?? Now.AddMinutes(-1));

    private static WorkloadStatus Workload(string name, WorkloadState state, string? reason = null, int restarts = 0) =>
        new(name, "dep-1", "hash", state, reason, "local/busybox:1", null, null, restarts, null, null);

    [Fact]
    public void HealthyFleet_HasNoProblems()
    {
        var list = FleetProblems.Plan([Device("a"), Device("b")], [new ReportFact("a", Now, [Workload("camera", WorkloadState.Running)])],
            [new DeploymentFact("d", "camera-1", DeploymentState.Completed, null, Now)], Now);

        Assert.Empty(list.Items);
        Assert.Equal(0, list.Total);
    }

    [Fact]
    public void FailedWorkload_ComesFirst_WithItsReasonAndDevice()
    {
        var list = FleetProblems.Plan([Device("a", online: false, lastSeen: Now.AddHours(-1)), Device("b")],
            [new ReportFact("b", Now.AddMinutes(-2), [Workload("camera", WorkloadState.Failed, "exited with code 3", restarts: 4)])],
            [new DeploymentFact("d", "camera-1", DeploymentState.Paused, "3 devices failed (threshold 2)", Now.AddMinutes(-5))], Now);

        Assert.Equal([ProblemKind.WorkloadFailed, ProblemKind.RolloutPaused, ProblemKind.DeviceOffline], list.Items.Select(p => p.Kind));
        var failed = list.Items[0];
        Assert.Equal("camera failed on press-b", failed.Title);
        Assert.Equal("exited with code 3. Restarted 4 times.", failed.Detail);
        Assert.Equal("/devices/b", failed.Href);
        Assert.Equal("3 devices failed (threshold 2)", list.Items[1].Detail);
        Assert.Equal("/deployments/d", list.Items[1].Href);
    }

    [Fact]
    public void FiringAlerts_ComeFirst_UnacknowledgedAndCriticalBeforeTheRest_LinkingToTheAlert()
    {
        var list = FleetProblems.Plan([Device("a")], [new ReportFact("a", Now, [Workload("camera", WorkloadState.Failed, "exited")])], [], Now,
        [
            new AlertFact(1, "Disk full", "press-a", "Disk 96 % (above 90 %)", Critical: false, Acknowledged: true, Now.AddMinutes(-30)),
            new AlertFact(2, "Hot CPU", "press-a", "CPU 97 % (above 90 %)", Critical: false, Acknowledged: false, Now.AddMinutes(-10)),
            new AlertFact(3, "Press offline", "press-b", "offline since 07:40 UTC", Critical: true, Acknowledged: false, Now.AddMinutes(-20)),
        ]);

        Assert.Equal([ProblemKind.AlertFiring, ProblemKind.AlertFiring, ProblemKind.AlertFiring, ProblemKind.WorkloadFailed], list.Items.Select(p => p.Kind));
        Assert.Equal(["Press offline on press-b", "Hot CPU on press-a", "Disk full on press-a"], list.Items.Take(3).Select(p => p.Title));
        Assert.Equal("/alerts/3", list.Items[0].Href);
        Assert.EndsWith("Acknowledged.", list.Items[2].Detail, StringComparison.Ordinal);
        Assert.Equal(3, list.Counts[ProblemKind.AlertFiring]);
    }

    [Fact]
    public void FailedWorkloadOnAnOfflineDevice_SaysTheReportIsOld()
    {
        var list = FleetProblems.Plan([Device("a", online: false)], [new ReportFact("a", Now.AddHours(-3), [Workload("camera", WorkloadState.Failed)])], [], Now);

        Assert.Contains("last report before the device went offline", list.Items.Single(p => p.Kind == ProblemKind.WorkloadFailed).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedRollouts_CountForAWeek_ThenAreHistory()
    {
        var list = FleetProblems.Plan([], [],
        [
            new DeploymentFact("new", "fresh", DeploymentState.Failed, null, Now.AddDays(-1)),
            new DeploymentFact("mixed", "partly", DeploymentState.CompletedWithFailures, "2 of 5 devices failed", Now.AddDays(-2)),
            new DeploymentFact("old", "ancient", DeploymentState.Failed, null, Now.AddDays(-8)),
        ], Now);

        Assert.Equal(["Deployment fresh failed", "Deployment partly completed with failures"], list.Items.Select(p => p.Title));
        Assert.Equal(2, list.Counts[ProblemKind.RolloutFailed]);
    }

    [Fact]
    public void ManyOfflineDevices_BecomeOneLine_ThatLinksToTheFilteredList()
    {
        var devices = Enumerable.Range(0, 40).Select(i => Device($"{i:D2}", online: false, lastSeen: Now.AddMinutes(-i))).ToList();

        var list = FleetProblems.Plan(devices, [], [], Now);

        var line = Assert.Single(list.Items);
        Assert.Equal("40 devices are offline", line.Title);
        Assert.Equal("/devices?status=Offline", line.Href);
        Assert.StartsWith("Including press-00, press-01, press-02.", line.Detail, StringComparison.Ordinal);
        Assert.Equal(40, list.Total);
    }

    [Fact]
    public void NeverConnectedDevice_SaysSo()
    {
        var list = FleetProblems.Plan([new DeviceFact("n", "new-gateway", false, Now.AddHours(-2), null)], [], [], Now);

        Assert.Equal("new-gateway has never connected", list.Items.Single().Title);
    }

    [Fact]
    public void TheListIsCapped_ButTheCountsAreWhole()
    {
        var reports = Enumerable.Range(0, 30).Select(i => new ReportFact("a", Now, [Workload($"w{i}", WorkloadState.Failed)])).ToList();

        var list = FleetProblems.Plan([Device("a")], reports, [], Now);

        Assert.Equal(FleetProblems.MaxItems, list.Items.Count);
        Assert.Equal(30, list.Total);
    }

    [Fact]
    public void ReportsOfRevokedOrUnknownDevices_AreIgnored()
    {
        var list = FleetProblems.Plan([Device("a")], [new ReportFact("gone", Now, [Workload("camera", WorkloadState.Failed)])], [], Now);

        Assert.Empty(list.Items);
    }
}
