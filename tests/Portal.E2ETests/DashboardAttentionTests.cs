using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Shared.Deployments;
using Portal.Shared.Workloads;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>The dashboard leads with what needs someone: a failed workload, a paused rollout, an offline device, each linking to its page.</summary>
[Collection(nameof(SharedBrowser))]
public sealed class DashboardAttentionTests(BrowserFixture browser)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_ListsFailedWorkloadsPausedRolloutsAndOfflineDevices_AndLinksToThem()
    {
        Assert.SkipWhen(browser.Browser is null, browser.SkipReason ?? "No browser.");
        var marker = "kiln-" + Guid.NewGuid().ToString("N")[..6];
        var deploymentId = await SeedAsync(marker);
        var page = await browser.NewPageAsync();
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);

        var list = page.Locator("#attention-list");
        await Expect(list).ToContainTextAsync($"thermal-camera failed on {marker}");
        await Expect(list).ToContainTextAsync("exited with code 3: /dev/video0 not found");
        await Expect(list).ToContainTextAsync($"Rollout of {marker}-rollout is paused");
        await Expect(list).ToContainTextAsync("2 of 3 devices failed; the failure threshold is 1");
        await Expect(page.Locator("#count-WorkloadFailed")).ToBeVisibleAsync();
        await Expect(page.Locator("#count-DeviceOffline")).ToBeVisibleAsync();
        await Expect(page.GetByText("Roles in this portal")).ToHaveCountAsync(0);
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "24b-dashboard-attention");

        await list.Locator("a", new() { HasText = $"Rollout of {marker}-rollout is paused" }).ClickAsync();
        await page.WaitForURLAsync($"**/deployments/{deploymentId}");
        await page.Context.CloseAsync();
    }

    private async Task<string> SeedAsync(string marker)
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = DateTimeOffset.UtcNow;
        db.Devices.Add(new Device { Id = marker, Name = marker, SecretHash = "x", EnrolledAt = now.AddDays(-3), LastSeenAt = now.AddMinutes(-20) });
        db.DesiredStates.Add(new DeviceDesiredState
        {
            DeviceId = marker, UpdatedAt = now, ReportedAt = now.AddMinutes(-21),
            Reported = [new WorkloadStatus("thermal-camera", "dep", "hash", WorkloadState.Failed, "exited with code 3: /dev/video0 not found", "local/busybox:1", null, null, 5, null, null)],
        });
        var deployment = new Deployment
        {
            Name = marker + "-rollout", SourceId = "camera", SourceName = "Camera Analytics", Version = "2.1", State = DeploymentState.Paused,
            StateReason = "2 of 3 devices failed; the failure threshold is 1. Resume to go on, or roll back.", CreatedBy = PortalFactory.AdminEmail,
            CreatedAt = now.AddMinutes(-30), UpdatedAt = now.AddMinutes(-10),
        };
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync(ct);
        return deployment.Id;
    }
}
