using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Features.Deployments;
using Portal.Features.Models;
using Portal.Shared.Deployments;
using Portal.Shared.Models;
using Portal.Testing;
using Portal.Tests.Devices;

namespace Portal.Tests.Models;

public sealed class DeployModelDialogTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "portal-tests", "deploy-model-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationToken ct = Xunit.TestContext.Current.CancellationToken;

    public DeployModelDialogTests()
    {
        this.AddModelPageServices(dataDirectory);
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task DeployModel_NoTarget_ShowsTheServicesReasonAndStaysOpen()
    {
        var (dialogs, _) = await OpenAsync();

        await dialogs.Find("#deploy-submit").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Equal("Choose at least one group or device to deploy to.", dialogs.Find("#dialog-error").TextContent.Trim()), Patience);
        Assert.Empty(await Services.GetRequiredService<DeploymentService>().ListAsync(ct));
    }

    [Fact]
    public async Task DeployModel_DeviceAndCudaChosen_CreatesThatDeploymentOfTheOriginalAndOpensIt()
    {
        this.AddDevice("d1", "press-07");
        var (dialogs, version) = await OpenAsync();
        var targets = dialogs.FindComponent<DeployTargetFields>();
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindComponents<MudSelectItem<string>>(), i => i.Instance.Value == "d1"), Patience);

        await dialogs.InvokeAsync(() => targets.Instance.DeviceIdsChanged.InvokeAsync(["d1"]));
        await dialogs.InvokeAsync(() => dialogs.FindComponents<MudRadioGroup<string>>().Single().Instance.ValueChanged.InvokeAsync(ExecutionProviders.Cuda));
        // The sample's optimized copy is larger than it, so none is kept: the switch is off and devices get the original.
        Assert.True(dialogs.FindComponent<MudSwitch<bool>>().Instance.Disabled);
        dialogs.WaitForAssertion(() => Assert.Contains("This version has no optimized copy: devices get the original", dialogs.Markup, StringComparison.Ordinal), Patience);
        await dialogs.Find("#deploy-submit").ClickAsync(new());

        var navigation = Services.GetRequiredService<NavigationManager>();
        dialogs.WaitForAssertion(() => Assert.Contains("/deployments/", navigation.Uri, StringComparison.Ordinal), Patience);
        var deployment = Assert.Single(await Services.GetRequiredService<DeploymentService>().ListAsync(ct));
        Assert.EndsWith("/deployments/" + deployment.Id, navigation.Uri, StringComparison.Ordinal);
        Assert.Equal("pv-plant v1", deployment.Name);
        Assert.Equal(["d1"], deployment.DeviceIds);
        Assert.Equal(new DeployedModel(version.ModelId, "pv-plant", 1, version.Sha256, version.SizeBytes, true, ExecutionProviders.Cuda), deployment.Model);
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Dialogs, ModelVersionDto Version)> OpenAsync()
    {
        var registry = Services.GetRequiredService<ModelRegistry>();
        Assert.True((await registry.CreateAsync(new CreateModelRequest("pv-plant"), new Portal.Features.Audit.AuditActor("User", null, "operator", null), ct)).Succeeded);
        await using var file = File.OpenRead(SampleModels.Solar);
        var version = (await registry.UploadAsync("pv-plant", file, "solar-irradiance.onnx", null, new Portal.Features.Audit.AuditActor("User", null, "operator", null), ct: ct)).Value!;
        var dialogs = Render<MudDialogProvider>();
        var service = Services.GetRequiredService<IDialogService>();
        await dialogs.InvokeAsync(() => DeployDialog.ShowAsync(service, "Deploy", new ModelDeployDraft(version)));
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#deploy-submit")), Patience);
        return (dialogs, version);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
