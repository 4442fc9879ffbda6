using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;
using Portal.Tests.Devices;

namespace Portal.Tests.Deployments;

/// <summary>The update dialog: a live preview of what happens, and an explicit confirmation before devices lose the app.</summary>
public sealed class UpdateDeploymentDialogTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly CancellationToken ct = Xunit.TestContext.Current.CancellationToken;

    public UpdateDeploymentDialogTests()
    {
        this.AddDevicePageServices();
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task Update_NewVersion_PreviewsBothDevicesAsUpdatedAndMakesRevisionTwo()
    {
        var (deployment, dialogs) = await OpenAsync();

        await dialogs.InvokeAsync(() => dialogs.FindComponents<MudSelect<string>>().First(s => s.Instance.Label == "Version").Instance.ValueChanged.InvokeAsync("2.0"));
        dialogs.WaitForAssertion(() => Assert.Contains("camera-02", dialogs.Find("#preview-update").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains("version 1.0 → 2.0", dialogs.Find("#preview-changes").TextContent, StringComparison.Ordinal);
        Assert.Empty(dialogs.FindAll("#preview-lose"));
        Assert.Empty(dialogs.FindAll("#confirm-removals"));

        await dialogs.Find("#update-submit").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#update-submit")), Patience);
        var updated = (await Services.GetRequiredService<DeploymentService>().GetAsync(deployment.Id, ct))!;
        Assert.Equal((2, "2.0", "1.0"), (updated.Revision, updated.Version, updated.PreviousVersion));
    }

    [Fact]
    public async Task Update_DeviceRemoved_NamesItAndUpdatesOnlyOnceConfirmed()
    {
        var (deployment, dialogs) = await OpenAsync();
        dialogs.WaitForAssertion(() => Assert.Contains("Nothing changes", dialogs.Find("#preview-summary").TextContent, StringComparison.Ordinal), Patience);
        Assert.True(dialogs.Find("#update-submit").HasAttribute("disabled"));

        await dialogs.InvokeAsync(() => dialogs.FindComponent<DeployTargetFields>().Instance.DeviceIdsChanged.InvokeAsync(["d1"]));

        dialogs.WaitForAssertion(() => Assert.Contains("camera-02", dialogs.Find("#preview-lose").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains("will LOSE", dialogs.Find("#preview-summary").TextContent, StringComparison.Ordinal);
        Assert.Contains("camera-01", dialogs.Find("#preview-unchanged").TextContent, StringComparison.Ordinal);
        Assert.True(dialogs.Find("#update-submit").HasAttribute("disabled"));
        var confirm = dialogs.FindComponent<MudCheckBox<bool>>();
        Assert.Equal("Remove Web from camera-02", confirm.Instance.Label);

        await dialogs.InvokeAsync(() => confirm.Instance.ValueChanged.InvokeAsync(true));
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#update-submit").HasAttribute("disabled")), Patience);
        Assert.Contains("Update and remove", dialogs.Find("#update-submit").TextContent, StringComparison.Ordinal);
        await dialogs.Find("#update-submit").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#update-submit")), Patience);
        var updated = (await Services.GetRequiredService<DeploymentService>().GetAsync(deployment.Id, ct))!;
        Assert.Equal(2, updated.Revision);
        Assert.Equal(["d1"], updated.DeviceIds);
    }

    /// <summary>Web 1.0 deployed to two devices that run it; the dialog open on it.</summary>
    private async Task<(DeploymentDto Deployment, IRenderedComponent<MudDialogProvider> Dialogs)> OpenAsync()
    {
        this.AddDevice("d1", "camera-01");
        this.AddDevice("d2", "camera-02");
        var now = DateTimeOffset.UtcNow;
        var factory = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        using (var db = factory.CreateDbContext())
        {
            db.MarketplaceApps.Add(new MarketplaceApp
            {
                Id = "web", Name = "Web", Certified = true, CreatedAt = now, UpdatedAt = now,
                Versions = [new AppVersion("1.0", "local/busybox:1"), new AppVersion("2.0", "local/busybox:2")],
            });
            db.SaveChanges();
        }

        var created = await Services.GetRequiredService<DeploymentService>().CreateAsync(
            new CreateDeploymentRequest("web", "1.0", DeviceIds: ["d1", "d2"]), new AuditActor(AuditActor.User, "u1", "operator@portal.local", null), ct);
        var id = created.Value.Deployment.Id;
        using (var db = factory.CreateDbContext())
        {
            // What the rollout service would have done: both devices released and running.
            db.DeploymentTargets.AddRange(new[] { "d1", "d2" }.Select(d => new DeploymentTarget { DeploymentId = id, DeviceId = d, State = DeviceRolloutState.Running, ReleasedAt = now, UpdatedAt = now }));
            db.SaveChanges();
        }

        var deployment = (await Services.GetRequiredService<DeploymentService>().GetAsync(id, ct))!;
        var dialogs = Render<MudDialogProvider>();
        await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<UpdateDeploymentDialog>("Update",
            new DialogParameters<UpdateDeploymentDialog> { { d => d.Deployment, deployment } }));
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#preview-summary")), Patience);
        return (deployment, dialogs);
    }
}
