using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Common;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;
using Portal.Tests.Devices;

namespace Portal.Tests.Deployments;

public sealed class DeploymentPagesTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public DeploymentPagesTests() => this.AddDevicePageServices();

    [Fact]
    public void DeploymentDetails_SeededDeployment_ShowsTitleStateAndOneRowPerDevice()
    {
        Seed();

        var page = Render<DeploymentDetailsPage>(p => p.Add(x => x.Id, "dep1"));

        page.WaitForAssertion(() => Assert.Equal("Mosquitto 2.0.18", page.Find("#deployment-title").TextContent.Trim()), Patience);
        Assert.Equal("InProgress", page.Find("#deployment-state").TextContent.Trim());
        var rows = page.FindAll("tr.deployment-device");
        Assert.Equal(["camera-01", "press-07"], rows.Select(r => r.QuerySelector(".device-name")!.TextContent.Trim()));
        Assert.Equal(["Running", "Pulling"], rows.Select(r => r.QuerySelector(".device-state")!.TextContent.Trim()));
        Assert.Equal("/devices/d1", rows[0].QuerySelector(".device-name")!.GetAttribute("href"));
        Assert.Contains("1/2 running", page.Find("#deployment-progress").TextContent, StringComparison.Ordinal);
        Assert.Contains("Created by admin", page.Find("#deployment-events").TextContent, StringComparison.Ordinal);
        // An operator may pause or abort an InProgress deployment, not resume it.
        Assert.NotEmpty(page.FindAll("#pause"));
        Assert.Empty(page.FindAll("#resume"));
    }

    [Fact]
    public void DeploymentDetails_DeviceChangesAndIsPublished_RowShowsTheNewStateWithoutReload()
    {
        Seed();
        var page = Render<DeploymentDetailsPage>(p => p.Add(x => x.Id, "dep1"));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.deployment-device").Count), Patience);

        using (var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            var target = db.DeploymentTargets.Single(t => t.DeploymentId == "dep1" && t.DeviceId == "d2");
            (target.State, target.Reason, target.ProgressPercent) = (DeviceRolloutState.Failed, "image not found", null);
            db.SaveChanges();
        }

        Services.GetRequiredService<Notifier<DeploymentChanged>>().Publish(new DeploymentChanged("dep1"));

        page.WaitForAssertion(() =>
        {
            var row = page.FindAll("tr.deployment-device")[1];
            Assert.Equal("Failed", row.QuerySelector(".device-state")!.TextContent.Trim());
            Assert.Contains("image not found", row.TextContent, StringComparison.Ordinal);
        }, Patience);
        Assert.Contains("1 failed", page.Find("#deployment-progress").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void DeploymentDetails_UnknownId_SaysSo()
    {
        var page = Render<DeploymentDetailsPage>(p => p.Add(x => x.Id, "nope"));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#deployment-not-found")), Patience);
    }

    [Fact]
    public void DeploymentPages_ModelDeployment_LinkToTheModelAndSayModel()
    {
        this.AddDevice("d1", "camera-01");
        var now = DateTimeOffset.UtcNow;
        using (var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            db.Deployments.Add(new Deployment
            {
                Id = "dep-m", Name = "defects v3", SourceId = "model-id", SourceName = "defects", Version = "3",
                Model = new ModelDeploymentSpec("model-id", "defects", 3, new string('b', 64), 2048, false, "cuda"),
                DeviceIds = ["d1"], State = DeploymentState.InProgress, CreatedBy = "admin", CreatedAt = now, UpdatedAt = now,
                Targets = [new DeploymentTarget { DeploymentId = "dep-m", DeviceId = "d1", State = DeviceRolloutState.Pending, ReleasedAt = now, UpdatedAt = now }],
            });
            db.SaveChanges();
        }

        var list = Render<DeploymentsPage>();
        list.WaitForAssertion(() => Assert.Contains("v3 · model", list.Find(".deployment-what").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal("/models/model-id/versions/3", list.Find(".deployment-what a").GetAttribute("href"));

        var details = Render<DeploymentDetailsPage>(p => p.Add(x => x.Id, "dep-m"));
        details.WaitForAssertion(() => Assert.Equal("/models/model-id/versions/3", details.Find("#deployment-model a").GetAttribute("href")), Patience);
        Assert.Contains("cuda (CPU where a device has no CUDA)", details.Find("#deployment-facts").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("/marketplace/", details.Markup, StringComparison.Ordinal);
    }

    private void Seed()
    {
        this.AddDevice("d1", "camera-01");
        this.AddDevice("d2", "press-07");
        var now = DateTimeOffset.UtcNow;
        using var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        db.Deployments.Add(new Deployment
        {
            Id = "dep1", Name = "Mosquitto 2.0.18", SourceId = "mosquitto", SourceName = "Eclipse Mosquitto", Version = "2.0.18",
            Spec = new AppVersion("2.0.18", "eclipse-mosquitto:2.0.18"), DeviceIds = ["d1", "d2"], State = DeploymentState.InProgress,
            CreatedBy = "admin", CreatedAt = now, UpdatedAt = now,
            Targets =
            [
                new DeploymentTarget { DeploymentId = "dep1", DeviceId = "d1", State = DeviceRolloutState.Running, ReleasedAt = now, UpdatedAt = now },
                new DeploymentTarget { DeploymentId = "dep1", DeviceId = "d2", State = DeviceRolloutState.Pulling, ProgressPercent = 40, ReleasedAt = now, UpdatedAt = now },
            ],
        });
        db.DeploymentEvents.Add(new DeploymentEvent { DeploymentId = "dep1", At = now, Message = "Created by admin" });
        db.SaveChanges();
    }
}
