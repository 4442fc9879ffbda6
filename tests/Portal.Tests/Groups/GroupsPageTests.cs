using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data;
using Portal.Features.Groups;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;
using Portal.Tests.Devices;

namespace Portal.Tests.Groups;

/// <summary>The groups page's delete: the dialog says what each device loses before anything is deleted.</summary>
public sealed class GroupsPageTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public GroupsPageTests()
    {
        this.AddDevicePageServices();
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task DeleteGroup_TargetedByADeployment_DialogListsWhatEachDeviceLosesAndConfirmingRecordsIt()
    {
        Seed();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<GroupsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("button[aria-label='Delete line-3']")), Patience);

        _ = page.Find("button[aria-label='Delete line-3']").ClickAsync(new()); // Its handler waits for the dialog: not awaited.

        dialogs.WaitForAssertion(() => Assert.Contains("Deleting it removes web 1.2 from press-7, press-8.", dialogs.Find("#group-delete-summary").TextContent, StringComparison.Ordinal), Patience);
        var row = dialogs.Find("tr.group-delete-impact");
        Assert.Contains("web rollout", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("press-7, press-8", row.QuerySelector(".impact-devices")!.TextContent.Trim());
        using (var db = Db())
        {
            Assert.True(db.Groups.Any(g => g.Id == "g3"));
        }

        await dialogs.Find("#group-delete-confirm").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("button[aria-label='Delete line-3']")), Patience);
        using var after = Db();
        Assert.Empty(after.Deployments.Single(d => d.Id == "dep1").GroupIds);
        var message = Assert.Single(after.DeploymentEvents.Where(e => e.DeploymentId == "dep1")).Message;
        Assert.StartsWith("Group 'line-3' deleted by ", message, StringComparison.Ordinal);
        Assert.EndsWith(": web 1.2 removed from press-7, press-8", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteGroup_Cancelled_DeletesNothing()
    {
        Seed();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<GroupsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("button[aria-label='Delete line-3']")), Patience);

        _ = page.Find("button[aria-label='Delete line-3']").ClickAsync(new()); // Its handler waits for the dialog: not awaited.
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#group-delete-cancel")), Patience);
        await dialogs.Find("#group-delete-cancel").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#group-delete-summary")), Patience);
        using var db = Db();
        Assert.True(db.Groups.Any(g => g.Id == "g3"));
        Assert.Equal(["g3"], db.Deployments.Single(d => d.Id == "dep1").GroupIds);
    }

    private PortalDbContext Db() => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    private void Seed()
    {
        this.AddDevice("p7", "press-7");
        this.AddDevice("p8", "press-8");
        var now = DateTimeOffset.UtcNow;
        using var db = Db();
        db.Groups.Add(new DeviceGroup { Id = "g3", Name = "line-3", StaticMembers = ["p7", "p8"], CreatedAt = now });
        db.Deployments.Add(new Deployment
        {
            Id = "dep1", Name = "web rollout", SourceId = "web", SourceName = "web", Version = "1.2", Spec = new AppVersion("1.2", "local/busybox:1"),
            GroupIds = ["g3"], State = DeploymentState.Completed, CreatedBy = "admin", CreatedAt = now, UpdatedAt = now,
            Targets =
            [
                new DeploymentTarget { DeploymentId = "dep1", DeviceId = "p7", State = DeviceRolloutState.Running, ReleasedAt = now, UpdatedAt = now },
                new DeploymentTarget { DeploymentId = "dep1", DeviceId = "p8", State = DeviceRolloutState.Running, ReleasedAt = now, UpdatedAt = now },
            ],
        });
        db.SaveChanges();
    }
}
