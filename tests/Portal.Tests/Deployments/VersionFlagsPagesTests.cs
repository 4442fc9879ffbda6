using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Features.Marketplace;
using Portal.Shared.Marketplace;
using Portal.Tests.Devices;

namespace Portal.Tests.Deployments;

/// <summary>A version that failed a rollout or was rolled back: flagged in the versions table, not preselected for deploying.</summary>
public sealed class VersionFlagsPagesTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly Dictionary<string, string> Flags = new() { ["2.0"] = "Rolled back (Web 2.0)" };

    public VersionFlagsPagesTests()
    {
        this.AddDevicePageServices();
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void VersionsTable_FlaggedVersion_ShowsWhy()
    {
        var table = Render<AppVersionsTable>(p => p.Add(t => t.Versions, [new AppVersion("1.0", "img:1"), new AppVersion("2.0", "img:2")]).Add(t => t.Flags, Flags));

        Assert.Equal("Rolled back (Web 2.0)", Assert.Single(table.FindAll(".version-flag")).TextContent.Trim());
    }

    [Fact]
    public async Task DeployDialog_NewestVersionRolledBack_PreselectsTheOneBefore()
    {
        var now = DateTimeOffset.UtcNow;
        using (var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            db.MarketplaceApps.Add(new MarketplaceApp { Id = "web", Name = "Web", Certified = true, Versions = [new AppVersion("1.0", "img:1"), new AppVersion("2.0", "img:2")], CreatedAt = now, UpdatedAt = now });
            db.SaveChanges();
        }

        var app = (await Services.GetRequiredService<MarketplaceService>().GetAsync("web", Xunit.TestContext.Current.CancellationToken))!;
        var dialogs = Render<MudDialogProvider>();
        await dialogs.InvokeAsync(() => DeployDialog.ShowAsync(Services.GetRequiredService<IDialogService>(), "Deploy", new AppDeployDraft(app, Flags)));

        dialogs.WaitForAssertion(() => Assert.Equal("1.0", dialogs.Find("#deploy-version input").GetAttribute("value")), Patience);
        Assert.Equal("Web 1.0", dialogs.Find("input#deploy-name, #deploy-name input").GetAttribute("value"));
    }
}
