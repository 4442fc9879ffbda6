using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Features.Marketplace;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Marketplace;
using Portal.Tests.Devices;

namespace Portal.Tests.Deployments;

/// <summary>The check shown in the deploy dialogs as targets are chosen: who receives it, who cannot and why, and the explicit skip.</summary>
public sealed class DeployCheckSummaryTests : BunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly CancellationToken ct = Xunit.TestContext.Current.CancellationToken;

    public DeployCheckSummaryTests()
    {
        this.AddDevicePageServices();
        Render<MudPopoverProvider>();
        var now = DateTimeOffset.UtcNow;
        using var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        db.MarketplaceApps.Add(new MarketplaceApp { Id = "web", Name = "Web", Certified = true, Versions = [new AppVersion("1.0", "local/busybox:1")], CreatedAt = now, UpdatedAt = now });
        db.SaveChanges();
    }

    [Fact]
    public void Summary_NoTargets_ShowsNothing()
    {
        var summary = Render<DeployCheckSummary>(p => p.Add(s => s.Request, new CreateDeploymentRequest("web", "1.0")));

        Assert.Empty(summary.FindAll("#deploy-check"));
    }

    [Fact]
    public void Summary_DeviceWithoutDocker_IsNamedWithTheReasonAndNoSkipOffered()
    {
        AddDevice("d1", "portal-host", Inventory() with { DockerVersion = null, DockerProblem = "there is no Docker socket at /var/run/docker.sock" });

        var summary = Render<DeployCheckSummary>(p => p.Add(s => s.Request, new CreateDeploymentRequest("web", "1.0", DeviceIds: ["d1"])));

        summary.WaitForAssertion(() => Assert.Equal("No device will receive this; 1 cannot.", summary.Find("#deploy-check-summary").TextContent.Trim()), Patience);
        var refused = summary.Find("#deploy-check-refused");
        Assert.Contains("portal-host", refused.TextContent, StringComparison.Ordinal);
        Assert.Contains("there is no Docker socket at /var/run/docker.sock", refused.QuerySelector("[data-reason=DockerUnreachable]")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(summary.FindAll("#deploy-skip-ineligible"));
        Assert.NotNull(summary.Find("#deploy-check-none"));
    }

    [Fact]
    public void Summary_OneOfTwoCannot_OffersToDeployToTheRestExplicitly()
    {
        AddDevice("d1", "portal-host", Inventory() with { DockerVersion = null });
        AddDevice("d2", "camera-02", Inventory());
        var skip = false;
        DeploymentCheck? latest = null;

        var summary = Render<DeployCheckSummary>(p => p
            .Add(s => s.Request, new CreateDeploymentRequest("web", "1.0", DeviceIds: ["d1", "d2"]))
            .Add(s => s.SkipIneligibleChanged, v => skip = v)
            .Add(s => s.Checked, c => latest = c));

        summary.WaitForAssertion(() => Assert.Equal("1 device will receive this; 1 cannot.", summary.Find("#deploy-check-summary").TextContent.Trim()), Patience);
        Assert.True(DeployCheckSummary.Blocks(latest, skip));
        Assert.Contains("Deploy to the 1 device that can, and skip this one", summary.Find("#deploy-skip-ineligible").TextContent, StringComparison.Ordinal);
        summary.Find("#deploy-skip-ineligible input").Change(true);

        Assert.True(skip);
        Assert.False(DeployCheckSummary.Blocks(latest, skip));
    }

    [Fact]
    public void Summary_DeviceNotReportedYet_ReceivesItWithANote()
    {
        this.AddDevice("d1", "new-box");

        var summary = Render<DeployCheckSummary>(p => p.Add(s => s.Request, new CreateDeploymentRequest("web", "1.0", DeviceIds: ["d1"])));

        summary.WaitForAssertion(() => Assert.Equal("1 device will receive this.", summary.Find("#deploy-check-summary").TextContent.Trim()), Patience);
        Assert.Contains("has not reported its inventory yet", summary.Find("[data-note=d1]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployDialog_IneligibleTarget_HoldsDeployUntilSkipIsTickedThenSkipsIt()
    {
        AddDevice("d1", "portal-host", Inventory() with { DockerVersion = null });
        AddDevice("d2", "camera-02", Inventory());
        var app = (await Services.GetRequiredService<MarketplaceService>().GetAsync("web", ct))!;
        var dialogs = Render<MudDialogProvider>();
        await dialogs.InvokeAsync(() => DeployDialog.ShowAsync(Services.GetRequiredService<IDialogService>(), "Deploy", new AppDeployDraft(app)));
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.FindComponent<DeployTargetFields>()), Patience);

        await dialogs.InvokeAsync(() => dialogs.FindComponent<DeployTargetFields>().Instance.DeviceIdsChanged.InvokeAsync(["d1", "d2"]));
        dialogs.WaitForAssertion(() => Assert.True(dialogs.Find("#deploy-submit").HasAttribute("disabled")), Patience);
        dialogs.Find("#deploy-skip-ineligible input").Change(true);
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#deploy-submit").HasAttribute("disabled")), Patience);
        await dialogs.Find("#deploy-submit").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Single(Services.GetRequiredService<DeploymentService>().ListAsync(ct).Result), Patience);
    }

    private void AddDevice(string id, string name, DeviceInventory inventory)
    {
        this.AddDevice(id, name);
        using var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        db.Devices.Single(d => d.Id == id).Inventory = inventory with { HostName = name };
        db.SaveChanges();
    }

    private static DeviceInventory Inventory() => new("h", "Linux", "6.1", "X64", "cpu", 4, 8L << 30, 64_000_000_000, 32_000_000_000, "0.2.0", "20.10.24", null, [], []);
}
