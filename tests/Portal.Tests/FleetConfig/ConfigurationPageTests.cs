using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data;
using Portal.Features.FleetConfig;
using Portal.Shared.Config;
using Portal.Tests.Devices;

namespace Portal.Tests.FleetConfig;

/// <summary>The Configuration page (values, files, write-only secrets) and the device page's effective config panel.</summary>
public sealed class ConfigurationPageTests : PortalBunitContext
{
    private const string Plain = "page-Secret-Value-5";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public ConfigurationPageTests()
    {
        this.AddDevicePageServices();
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
    }

    [Fact]
    public async Task Operator_SavesValuesAndSetsASecret_SecretListedByNameOnlyAndStoredEncrypted()
    {
        var page = Render<ConfigurationPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#save-config")), Patience);

        await Input(page, "config-values-text").ChangeAsync(new() { Value = "SITE=madrid\nMODE=fast" });
        await page.Find("#save-config").ClickAsync(new());
        await Input(page, "secret-name").ChangeAsync(new() { Value = "API_TOKEN" });
        await Input(page, "secret-value").ChangeAsync(new() { Value = Plain });
        await page.Find("#set-secret").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("API_TOKEN", page.Find("tr.secret-row").TextContent, StringComparison.Ordinal), Patience);
        Assert.DoesNotContain(Plain, page.Markup, StringComparison.Ordinal);
        using var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        Assert.Equal("madrid", db.ConfigSets.Single(s => s.Level == ConfigLevel.Fleet).Values["SITE"]);
        var secret = db.ConfigSecrets.Single();
        Assert.Equal(("API_TOKEN", ConfigLevel.Fleet), (secret.Name, secret.Level));
        Assert.DoesNotContain(Plain, secret.ProtectedValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EffectiveConfigPanel_ShowsEachValueWithTheLevelItCameFrom()
    {
        this.AddDevice("d1", "cam-1");
        var sets = Services.GetRequiredService<ConfigSetService>();
        var actor = new Portal.Features.Audit.AuditActor("User", "u1", "ops", null);
        await sets.SaveAsync(ConfigScope.Fleet, new SaveConfigSetRequest(new Dictionary<string, string> { ["SITE"] = "fleet", ["MODE"] = "slow" }, null), actor, Xunit.TestContext.Current.CancellationToken);
        await sets.SaveAsync(ConfigScope.Device("d1"), new SaveConfigSetRequest(new Dictionary<string, string> { ["SITE"] = "madrid" }, new Dictionary<string, string> { ["a.conf"] = "abc" }), actor, Xunit.TestContext.Current.CancellationToken);

        var panel = Render<EffectiveConfigPanel>(p => p.Add(x => x.DeviceId, "d1"));

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("tr.effective-value").Count), Patience);
        Assert.Equal(["MODE slow fleet", "SITE madrid device cam-1"], panel.FindAll("tr.effective-value").Select(r => string.Join(' ', r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()))));
        Assert.Contains("/appconfig/a.conf", panel.Find("tr.effective-file").TextContent, StringComparison.Ordinal);
        Assert.Contains("fleet → device cam-1", panel.Find("#effective-order").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_SavesAGroupChangeGradually_ARolloutIsShownWithItsDevices_PauseAndRollBackNeedNoCode()
    {
        this.AddDevice("d1", "press-1");
        this.AddDevice("d2", "press-2");
        var ct = Xunit.TestContext.Current.CancellationToken;
        string groupId;
        using (var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            groupId = db.Groups.Add(new DeviceGroup { Name = "presses", StaticMembers = ["d1", "d2"], CreatedAt = DateTimeOffset.UtcNow }).Entity.Id;
            db.SaveChanges();
        }

        var actor = new Portal.Features.Audit.AuditActor("User", "u1", "ops", null);
        await Services.GetRequiredService<ConfigSetService>().SaveAsync(ConfigScope.Group(groupId), new SaveConfigSetRequest(new Dictionary<string, string> { ["SPEED"] = "1" }, null), actor, ct);
        var page = Render<ConfigurationPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#config-rollouts-empty")), Patience);
        Assert.Contains("No config change has been rolled out gradually yet", page.Find("#config-rollouts-empty").TextContent, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync($"group:{groupId}"));
        page.WaitForAssertion(() => Assert.Equal("SPEED=1", Input(page, "config-values-text").GetAttribute("value") ?? Input(page, "config-values-text").TextContent), Patience);
        await Input(page, "config-values-text").ChangeAsync(new() { Value = "SPEED=2" });
        await page.InvokeAsync(() => page.FindComponent<MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(true));
        page.WaitForAssertion(() => Assert.Equal("Save and roll out", page.Find("#save-config").TextContent.Trim()), Patience);
        Assert.NotNull(page.Find("#deploy-batch-size"));
        await page.Find("#save-config").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.config-rollout-row")), Patience);
        var row = page.Find("tr.config-rollout-row");
        Assert.Contains("group presses", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("~SPEED: 1 → 2", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("0 of 2 running, 2 waiting", row.QuerySelector(".config-rollout-progress")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("InProgress", row.QuerySelector(".config-rollout-state")!.TextContent.Trim());

        await row.QuerySelector(".config-rollout-pause")!.ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal("Paused", page.Find("tr.config-rollout-row .config-rollout-state").TextContent.Trim()), Patience);
        using var check = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var stored = check.ConfigRollouts.Single();
        Assert.Equal((Portal.Shared.Deployments.DeploymentState.Paused, "1"), (stored.State, stored.PreviousValues["SPEED"]));
        Assert.Equal(["d1", "d2"], stored.Targets.Select(t => t.DeviceId));
    }

    private static IElement Input(IRenderedComponent<ConfigurationPage> page, string id)
    {
        var element = page.Find($"#{id}");
        return element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input,textarea")!;
    }
}
