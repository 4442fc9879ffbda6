using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Common;
using Portal.Data;
using Portal.Features.Deployments;
using DeviceWorkloads = Portal.Features.Workloads.Views.DeviceWorkloads;
using Portal.Shared.Workloads;
using Portal.Tests.Devices;

namespace Portal.Tests.Workloads;

public sealed class DeviceWorkloadsTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public DeviceWorkloadsTests() => this.AddDevicePageServices();

    [Fact]
    public void Workloads_NothingDesired_ShowsTheEmptyState()
    {
        this.AddDevice("d1", "camera-01");

        var section = Render<DeviceWorkloads>(p => p.Add(x => x.DeviceId, "d1"));

        section.WaitForAssertion(() => Assert.Contains("No workloads: deploy an app from the Marketplace", section.Find("#no-workloads").TextContent, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public void Logs_ContainerNeverStarted_SayNothingYetAndWhyInsteadOfWaiting()
    {
        this.AddDevice("d1", "camera-01");
        var spec = new WorkloadSpec("web", "dep1", "ghcr.io/x/y:1", [], new Dictionary<string, string>(), [], [], "unless-stopped", "host", new ResourceLimits(), "hash1");
        const string reason = "The registry ghcr.io could not be reached from the device: check its network or use a private registry. Next try in 30 s (attempt 2).";
        using (var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            db.DesiredStates.Add(new DeviceDesiredState
            {
                DeviceId = "d1", Revision = 1, Workloads = [spec], UpdatedAt = DateTimeOffset.UtcNow, ReportedRevision = 1, ReportedAt = DateTimeOffset.UtcNow,
                Reported = [new WorkloadStatus("web", "dep1", "hash1", WorkloadState.Failed, reason, spec.Image, null, null, 0, null, null)],
            });
            db.SaveChanges();
        }

        var section = Render<DeviceWorkloads>(p => p.Add(x => x.DeviceId, "d1"));
        section.WaitForAssertion(() => Assert.Equal("Failed", section.Find("tr.workload-row .workload-state").TextContent.Trim()), Patience);
        section.Find("[aria-label='Logs of web']").Click();

        section.WaitForAssertion(() => Assert.Equal($"Nothing yet: the container was never started because it failed. {reason}", section.Find("#log-waiting").TextContent.Trim()), Patience);
    }

    [Theory]
    [InlineData(WorkloadState.Pulling, null, false, "Nothing yet: the device is still pulling the image. Lines appear once the container starts.")]
    [InlineData(WorkloadState.Pending, null, false, "Nothing yet: the container has not been created on the device. Lines appear once it starts.")]
    [InlineData(WorkloadState.Starting, "c1", false, "Nothing yet: the container was created but has not started.")]
    [InlineData(WorkloadState.Running, "c1", true, "No lines yet: the container is running and has written nothing to its output so far.")]
    public void LogWaitingText_ContainerState_SaysWhyThereAreNoLines(WorkloadState state, string? container, bool started, string expected) =>
        Assert.Equal(expected, Portal.Features.Workloads.LogViewer.WaitingText(
            new WorkloadStatus("web", "dep1", "hash1", state, null, "local/busybox:1", container, started ? DateTimeOffset.UtcNow : null, 0, null, null)));

    [Fact]
    public void Workloads_DeviceReports_RowChangesFromPendingToRunningWithoutReload()
    {
        this.AddDevice("d1", "camera-01");
        var spec = new WorkloadSpec("mosquitto", "dep1", "eclipse-mosquitto:2.0.18", [], new Dictionary<string, string>(), [], [], "unless-stopped", "host", new ResourceLimits(), "hash1");
        var factory = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        using (var db = factory.CreateDbContext())
        {
            db.DesiredStates.Add(new DeviceDesiredState { DeviceId = "d1", Revision = 1, Workloads = [spec], UpdatedAt = DateTimeOffset.UtcNow });
            db.SaveChanges();
        }

        var section = Render<DeviceWorkloads>(p => p.Add(x => x.DeviceId, "d1"));
        section.WaitForAssertion(() => Assert.Equal("Pending", section.Find("tr.workload-row .workload-state").TextContent.Trim()), Patience);
        Assert.Equal("mosquitto", section.Find(".workload-name").TextContent.Trim());
        Assert.NotNull(section.Find("[aria-label='Logs of mosquitto']"));
        Assert.NotNull(section.Find("[aria-label='Restart mosquitto']"));

        using (var db = factory.CreateDbContext())
        {
            var row = db.DesiredStates.Single(d => d.DeviceId == "d1");
            row.Reported = [new WorkloadStatus("mosquitto", "dep1", "hash1", WorkloadState.Running, null, spec.Image, "c1", DateTimeOffset.UtcNow.AddHours(-2), 1, 3.5, 64L << 20)];
            (row.ReportedRevision, row.ReportedAt) = (1, DateTimeOffset.UtcNow);
            db.SaveChanges();
        }

        Services.GetRequiredService<Notifier<WorkloadsReported>>().Publish(new WorkloadsReported("d1"));

        section.WaitForAssertion(() => Assert.Equal("Running", section.Find("tr.workload-row .workload-state").TextContent.Trim()), Patience);
        Assert.Equal("2 h 0 min", section.Find(".workload-uptime").TextContent.Trim());
        Assert.Equal("64 MiB", section.Find(".workload-memory").TextContent.Trim());
    }

    [Fact]
    public void Workloads_ModelDownloadingThenReady_ShowsProgressVersionAndNoContainerActions()
    {
        this.AddDevice("d1", "camera-01");
        var model = new ModelWorkloadSpec("defects", "dep2", "m1", 3, new string('a', 64), 1000, "/x", "cpu", "mhash");
        var factory = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        using (var db = factory.CreateDbContext())
        {
            db.DesiredStates.Add(new DeviceDesiredState
            {
                DeviceId = "d1", Revision = 1, Workloads = [], Models = [model], UpdatedAt = DateTimeOffset.UtcNow, ReportedRevision = 1, ReportedAt = DateTimeOffset.UtcNow,
                Reported = [new WorkloadStatus("defects", "dep2", "mhash", WorkloadState.Downloading, null, "defects v3", null, null, 0, null, null, 40, WorkloadKind.Model)],
            });
            db.SaveChanges();
        }

        var section = Render<DeviceWorkloads>(p => p.Add(x => x.DeviceId, "d1"));

        section.WaitForAssertion(() => Assert.Equal("Downloading", section.Find("tr.model-workload .workload-state").TextContent.Trim()), Patience);
        Assert.Equal("40%", section.Find(".workload-progress").TextContent.Trim());
        Assert.Equal("v3", section.Find(".workload-image").TextContent.Trim());
        Assert.Equal("/models/defects", section.Find(".workload-name a").GetAttribute("href"));
        Assert.Empty(section.FindAll("[aria-label='Logs of defects']"));
        Assert.Empty(section.FindAll("[aria-label='Restart defects']"));

        using (var db = factory.CreateDbContext())
        {
            var row = db.DesiredStates.Single(d => d.DeviceId == "d1");
            row.Reported = [new WorkloadStatus("defects", "dep2", "mhash", WorkloadState.Ready, null, "defects v3", null, DateTimeOffset.UtcNow.AddMinutes(-5), 0, null, null, null, WorkloadKind.Model)];
            db.SaveChanges();
        }

        Services.GetRequiredService<Notifier<WorkloadsReported>>().Publish(new WorkloadsReported("d1"));

        section.WaitForAssertion(() => Assert.Equal("Ready", section.Find("tr.model-workload .workload-state").TextContent.Trim()), Patience);
        Assert.Equal("5 min", section.Find(".workload-uptime").TextContent.Trim());
        Assert.Empty(section.FindAll(".workload-progress"));
    }
}
