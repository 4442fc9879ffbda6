using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;
using Portal.Tests.Devices;

namespace Portal.Tests.Deployments;

/// <summary>The Deployments pages show how a deployment ended: the state, its reason, the bar's colour, superseded devices.</summary>
public sealed class DeploymentOutcomePagesTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public DeploymentOutcomePagesTests() => this.AddDevicePageServices();

    [Fact]
    public void DeploymentsPage_FailedDeployment_ShowsFailedWithARedBar()
    {
        Seed("failed", DeploymentState.Failed, "All 2 devices failed (first: d1: image not found)", DeviceRolloutState.Failed, DeviceRolloutState.Failed);

        var page = Render<DeploymentsPage>();

        page.WaitForAssertion(() => Assert.Equal("Failed", page.Find(".deployment-state").TextContent.Trim()), Patience);
        Assert.Contains("mud-chip-color-error", page.Find(".deployment-state").ClassName, StringComparison.Ordinal);
        // Before, any failure made the bar amber, even when every device failed.
        Assert.Contains("mud-progress-linear-color-error", page.Find(".deployment-progress .mud-progress-linear").ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void DeploymentDetails_PartlySuperseded_ShowsTheReasonPerDeviceAndCountsIt()
    {
        Seed("partly", DeploymentState.CompletedWithFailures, "1 of 1 device failed; 1 device superseded", DeviceRolloutState.Failed, DeviceRolloutState.Superseded);

        var page = Render<DeploymentDetailsPage>(p => p.Add(x => x.Id, "partly"));

        page.WaitForAssertion(() => Assert.Equal("CompletedWithFailures", page.Find("#deployment-state").TextContent.Trim()), Patience);
        Assert.Equal("1 of 1 device failed; 1 device superseded", page.Find("#deployment-state-reason").TextContent.Trim());
        var superseded = page.FindAll("tr.deployment-device")[1];
        Assert.Equal("Superseded", superseded.QuerySelector(".device-state")!.TextContent.Trim());
        Assert.Contains("Superseded by deployment newer (Mosquitto 2.0.20)", superseded.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 superseded", page.Find("#deployment-progress").TextContent, StringComparison.Ordinal);
    }

    private void Seed(string id, DeploymentState state, string reason, DeviceRolloutState first, DeviceRolloutState second)
    {
        this.AddDevice("d1", "camera-01");
        this.AddDevice("d2", "press-07");
        var now = DateTimeOffset.UtcNow;
        using var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        string? Why(DeviceRolloutState s) => s == DeviceRolloutState.Superseded ? "Superseded by deployment newer (Mosquitto 2.0.20)" : "image not found";
        db.Deployments.Add(new Deployment
        {
            Id = id, Name = "Mosquitto 2.0.18", SourceId = "mosquitto", SourceName = "Eclipse Mosquitto", Version = "2.0.18",
            Spec = new AppVersion("2.0.18", "eclipse-mosquitto:2.0.18"), DeviceIds = ["d1", "d2"], State = state, StateReason = reason,
            CreatedBy = "admin", CreatedAt = now, UpdatedAt = now,
            Targets =
            [
                new DeploymentTarget { DeploymentId = id, DeviceId = "d1", State = first, Reason = Why(first), ReleasedAt = now, UpdatedAt = now },
                new DeploymentTarget { DeploymentId = id, DeviceId = "d2", State = second, Reason = Why(second), ReleasedAt = now, UpdatedAt = now },
            ],
        });
        db.SaveChanges();
    }
}
