using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Reconciler;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Reconciler;

public sealed class WorkloadReporterTests
{
    private readonly WorkloadReporter reporter = new(TimeProvider.System, NullLogger<WorkloadReporter>.Instance);

    [Fact]
    public async Task Report_BothKinds_OneReportCarriesTheNewestOfEach()
    {
        var portal = new RecordingHub();
        await reporter.ConnectedAsync(portal);

        await reporter.ReportAsync(WorkloadKind.Model, 3, [Status("resnet", WorkloadKind.Model)]);
        await reporter.ReportAsync(WorkloadKind.Container, 3, [Status("web", WorkloadKind.Container)]);

        Assert.Equal(["resnet"], portal.Reports[0].Workloads.Select(w => w.Name));
        Assert.Equal(["web", "resnet"], portal.Reports[1].Workloads.Select(w => w.Name));
    }

    [Fact]
    public async Task Report_WhileDisconnected_NewestGoesOnConnect()
    {
        await reporter.ReportAsync(WorkloadKind.Container, 1, [Status("web", WorkloadKind.Container)]);
        await reporter.ReportAsync(WorkloadKind.Container, 2, [Status("mqtt", WorkloadKind.Container)]);
        var portal = new RecordingHub();

        await reporter.ConnectedAsync(portal);
        reporter.Disconnected();
        await reporter.ReportAsync(WorkloadKind.Container, 3, []);

        var sent = Assert.Single(portal.Reports);
        Assert.Equal(2, sent.Revision);
        Assert.Equal(["mqtt"], sent.Workloads.Select(w => w.Name));
        Assert.Equal(3, reporter.Last?.Revision);
    }

    private static WorkloadStatus Status(string name, WorkloadKind kind) =>
        new(name, "dep1", "h1", WorkloadState.Running, null, name, null, null, 0, null, null, null, kind);
}
