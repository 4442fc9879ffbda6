using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Workloads;
using Portal.Shared.Workloads;
using Portal.Tests.Devices;
using DeviceWorkloads = Portal.Features.Workloads.Views.DeviceWorkloads;

namespace Portal.Tests.Workloads;

/// <summary>A stack on the device page: one row, its services beneath it, and each service's own logs.</summary>
public sealed class DeviceStackWorkloadsTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public DeviceStackWorkloadsTests() => this.AddDevicePageServices();

    [Fact]
    public void Stack_Reported_IsOneRowWithItsServicesBeneathAndEachHasItsLogs()
    {
        this.AddDevice("d1", "gateway-01");
        Store(reported: true);

        var section = Render<DeviceWorkloads>(p => p.Add(x => x.DeviceId, "d1"));

        section.WaitForAssertion(() => Assert.Equal("Running", section.Find("tr.stack-workload .workload-state").TextContent.Trim()), Patience);
        Assert.Equal("demo", section.Find("tr.stack-workload .workload-name").TextContent.Trim());
        Assert.Equal("stack of 2 services", section.Find("tr.stack-workload .workload-image").TextContent.Trim());
        Assert.Empty(section.FindAll("[aria-label='Logs of demo']"));
        var services = section.FindAll("tr.stack-service-row");
        Assert.Equal(["dep", "web"], services.Select(r => r.QuerySelector(".service-name")!.TextContent.Trim()));
        Assert.Equal(["Running", "Running"], services.Select(r => r.QuerySelector(".service-state")!.TextContent.Trim()));
        Assert.Equal(["health: healthy", "no healthcheck"], services.Select(r => r.QuerySelector(".service-health")!.TextContent.Trim()));
        Assert.Equal("local/busybox:1", services[1].QuerySelector(".service-image")!.TextContent.Trim());

        section.Find("[aria-label='Logs of web in demo']").Click();

        section.WaitForAssertion(() => Assert.Equal("Logs of web (stack demo)", section.Find("#log-title").TextContent.Trim()), Patience);
        Services.GetRequiredService<LogStreams>().Receive("d1", new LogChunk("demo.web", [new LogLine(DateTimeOffset.UtcNow, "stderr", "GET / 200")]));
        section.WaitForAssertion(() => Assert.Contains("GET / 200", section.Find("#log-view").TextContent, StringComparison.Ordinal), Patience);
        Assert.True(Services.GetRequiredService<LogStreams>().IsWatched("d1", "demo.web"));
    }

    [Fact]
    public void Stack_NotReportedYet_ShowsItsServicesPending()
    {
        this.AddDevice("d1", "gateway-01");
        Store(reported: false);

        var section = Render<DeviceWorkloads>(p => p.Add(x => x.DeviceId, "d1"));

        section.WaitForAssertion(() => Assert.Equal("Pending", section.Find("tr.stack-workload .workload-state").TextContent.Trim()), Patience);
        Assert.Equal(["Pending", "Pending"], section.FindAll("tr.stack-service-row .service-state").Select(c => c.TextContent.Trim()));
        section.Find("[aria-label='Logs of dep in demo']").Click();
        section.WaitForAssertion(() => Assert.Equal("Nothing yet: the container has not been created on the device. Lines appear once it starts.", section.Find("#log-waiting").TextContent.Trim()), Patience);
    }

    private void Store(bool reported)
    {
        static WorkloadSpec Container(string name, string hash) =>
            new(name, "dep1", "local/busybox:1", [], new Dictionary<string, string>(), [], [], "unless-stopped", "host", new ResourceLimits(), hash);

        var stack = new StackSpec("demo", "dep1",
            [
                new StackService("dep", Container("dep", "h-dep"), [], new HealthCheckSpec(["CMD", "true"])),
                new StackService("web", Container("web", "h-web"), [new ServiceDependency("dep", DependencyCondition.ServiceHealthy)]),
            ], "stack-hash");
        using var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var row = new DeviceDesiredState { DeviceId = "d1", Revision = 1, Workloads = [], Stacks = [stack], UpdatedAt = DateTimeOffset.UtcNow };
        if (reported)
        {
            (row.ReportedRevision, row.ReportedAt) = (1, DateTimeOffset.UtcNow);
            row.Reported =
            [
                new WorkloadStatus("demo", "dep1", "stack-hash", WorkloadState.Running, null, "", null, DateTimeOffset.UtcNow.AddMinutes(-5), 0, null, null, Kind: WorkloadKind.Stack,
                    Services: [
                        new ServiceStatus("dep", WorkloadState.Running, null, "local/busybox:1", "c-dep", "h-dep", "healthy"),
                        new ServiceStatus("web", WorkloadState.Running, null, "local/busybox:1", "c-web", "h-web"),
                    ]),
            ];
        }

        db.DesiredStates.Add(row);
        db.SaveChanges();
    }
}
