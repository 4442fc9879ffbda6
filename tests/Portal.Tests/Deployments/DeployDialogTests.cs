using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Features.Marketplace;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;
using Portal.Tests.Devices;

namespace Portal.Tests.Deployments;

/// <summary>The app deploy dialog with its shared target and strategy fields.</summary>
public sealed class DeployDialogTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public DeployDialogTests()
    {
        this.AddDevicePageServices();
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task DeployApp_DeviceAndRollingStrategyChosen_CreatesThatDeployment()
    {
        this.AddDevice("d1", "camera-01");
        var now = DateTimeOffset.UtcNow;
        using (var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            db.MarketplaceApps.Add(new MarketplaceApp { Id = "web", Name = "Web", Certified = true, Versions = [new AppVersion("1.0", "local/busybox:1")], CreatedAt = now, UpdatedAt = now });
            db.SaveChanges();
        }

        var app = (await Services.GetRequiredService<MarketplaceService>().GetAsync("web", Xunit.TestContext.Current.CancellationToken))!;
        var dialogs = Render<MudDialogProvider>();
        await dialogs.InvokeAsync(() => DeployDialog.ShowAsync(Services.GetRequiredService<IDialogService>(), "Deploy", new AppDeployDraft(app)));
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindComponents<MudSelectItem<string>>(), i => i.Instance.Value == "d1"), Patience);
        Assert.Empty(dialogs.FindAll("#deploy-batch-size"));

        await dialogs.InvokeAsync(() => dialogs.FindComponent<DeployTargetFields>().Instance.DeviceIdsChanged.InvokeAsync(["d1"]));
        var strategy = dialogs.FindComponent<RolloutStrategyFields>();
        await dialogs.InvokeAsync(() => strategy.Instance.ValueChanged.InvokeAsync(strategy.Instance.Value with { Kind = RolloutKind.Rolling, BatchSize = 2 }));
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#deploy-batch-size")), Patience);
        await dialogs.Find("#deploy-submit").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains("/deployments/", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal), Patience);
        var deployment = Assert.Single(await Services.GetRequiredService<DeploymentService>().ListAsync(Xunit.TestContext.Current.CancellationToken));
        Assert.Equal(["d1"], deployment.DeviceIds);
        Assert.Equal((RolloutKind.Rolling, 2), (deployment.Strategy.Kind, deployment.Strategy.BatchSize));
        Assert.Null(deployment.Model);
    }
}
