using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>Deleting a group that a deployment targets, and an unused model, the way an operator does it in the browser.</summary>
[Collection(nameof(SharedBrowser))]
public sealed class GuardedDeleteTests(BrowserFixture browser)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task GroupDelete_TargetedGroup_DialogSaysWhatEachDeviceLosesAndTheDeploymentRecordsIt()
    {
        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("guarded-e2e"), ct);
        var press17 = (await ApiClient.EnrollDeviceAsync(admin, "e2e-press-17", ct)).DeviceId;
        var press18 = (await ApiClient.EnrollDeviceAsync(admin, "e2e-press-18", ct)).DeviceId;
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("e2e-line-3", StaticMembers: [press17, press18]), ct);
        var group = (await created.Content.ReadFromJsonAsync<GroupDto>(ct))!;
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("guarded-e2e", "1", GroupIds: [group.Id]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Pending) && d.Devices!.Count == 2, ct, seconds: 30);

        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#nav-groups").ClickAsync();
        await page.Locator("button[aria-label='Delete e2e-line-3']").ClickAsync();

        await Expect(page.Locator("#group-delete-summary")).ToContainTextAsync("Deleting it removes Flaky worker 1 from e2e-press-17, e2e-press-18.");
        await Expect(page.Locator("tr.group-delete-impact .impact-devices")).ToHaveTextAsync("e2e-press-17, e2e-press-18");
        await PortalPages.ScreenshotAsync(page, shots, "60-group-delete-preview");
        await page.Locator("#group-delete-confirm").ClickAsync();
        await Expect(page.Locator(".group-name", new() { HasText = "e2e-line-3" })).ToHaveCountAsync(0);

        await page.GotoAsync($"/deployments/{deployment.Id}");
        await Expect(page.Locator("#deployment-events")).ToContainTextAsync("Group 'e2e-line-3' deleted by");
        await Expect(page.Locator("#deployment-groups")).ToHaveTextAsync("None");
        await PortalPages.ScreenshotAsync(page, shots, "61-deployment-after-group-delete");
    }

    [Fact]
    public async Task ModelDelete_UnusedModel_IsDeletedFromItsPageAfterConfirming()
    {
        var page = await browser.NewPageAsync();
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        using (var model = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest("e2e-unused-model"), ct))
        {
            model.EnsureSuccessStatusCode();
        }

        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(SampleModels.Solar, ct));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "solar.onnx");
            using var uploaded = await admin.PostAsync(ApiRoutes.ModelVersions("e2e-unused-model"), form, ct);
            uploaded.EnsureSuccessStatusCode();
        }

        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.GotoAsync("/models/e2e-unused-model");
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator("#delete-version")).ToBeVisibleAsync();
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "62-model-delete-buttons");
        await page.Locator("#delete-model").ClickAsync();
        await Expect(page.Locator("#confirm-message")).ToContainTextAsync("Delete the model e2e-unused-model with its 1 version(s)");
        await page.Locator("#confirm-ok").ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/models$"));
        using var gone = await admin.GetAsync(ApiRoutes.Model("e2e-unused-model"), ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }
}
