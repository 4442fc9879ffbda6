using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Portal.Common;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Portal.Features.Deployments;
using Portal.Shared.Marketplace;

namespace Portal.Features.Marketplace;

public sealed partial class AppDetailsPage
{
    private AppDto? app;
    private IReadOnlyDictionary<string, string> flags = new Dictionary<string, string>();
    private bool loading = true;
    private KeyedSubscription? subscription;
    private bool iconBusy;

    [Parameter]
    public string Id { get; set; } = "";

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private MarketplaceService Marketplace { get; set; } = default!;

    [Inject]
    private AppIconService IconService { get; set; } = default!;

    [Inject]
    private Notifier<AppDto> Changes { get; set; } = default!;

    [Inject]
    private Portal.Features.Deployments.DeploymentVersions DeploymentVersions { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>Why the app cannot be deployed now, or null when it can.</summary>
    private string? DeployBlockedReason => app switch
    {
        null => null,
        { Retired: true } => "This app is retired: it can no longer be deployed. What already runs keeps running.",
        { Certified: false } => "This app is not certified yet: an admin must certify it before it can be deployed.",
        { Versions.Count: 0 } => "This app has no versions to deploy.",
        _ => null,
    };

    protected override async Task OnParametersSetAsync()
    {
        subscription?.Follow(Id);
        app = await Marketplace.GetAsync(Id);
        flags = await DeploymentVersions.FlagsAsync(Id);
        loading = false;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            subscription = new KeyedSubscription(appId => Changes.Subscribe(appId, changed => InvokeAsync(() => { app = changed; StateHasChanged(); })));
            subscription.Follow(Id);
        }
    }

    private async Task DeployAsync()
    {
        await DeployDialog.ShowAsync(Dialogs, $"Deploy {app!.Name}", new AppDeployDraft(app, flags));
    }

    private async Task CertifyAsync(bool certified)
    {
        if (certified && !await ConfirmCertifyAsync())
        {
            return;
        }

        if (!certified && !await Dialogs.ConfirmAsync("Withdraw certification",
                $"Withdraw the certification of {app!.Name}? Nobody can deploy it until it is certified again; what already runs keeps running.",
                "Withdraw", Icons.Material.Filled.RemoveModerator))
        {
            return;
        }

        var result = await Marketplace.CertifyAsync(Id, certified, await Client.ActorAsync());
        Report(result, certified ? "Certified: operators can deploy it now." : "Certification withdrawn.");
    }

    private async Task<bool> ConfirmCertifyAsync()
    {
        var dialog = await Dialogs.ShowAsync<CertifyAppDialog>($"Certify {app!.Name}", new DialogParameters<CertifyAppDialog> { { d => d.App, app } },
            new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true });
        return await dialog.Result is { Canceled: false };
    }

    private async Task EditAsync()
    {
        var dialog = await Dialogs.ShowAsync<AppEditorDialog>($"Edit {app!.Name}", new DialogParameters<AppEditorDialog> { { d => d.App, app } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, DefaultFocus = DefaultFocus.None });
        if (await dialog.Result is { Canceled: false, Data: AppDto saved })
        {
            app = saved;
            Snackbar.Add($"Saved {saved.Name}.", Severity.Success);
        }
    }

    private async Task RetireAsync()
    {
        if (await Dialogs.ConfirmAsync("Retire app",
                $"Retire {app!.Name}? It can no longer be deployed and loses its certification. Deployments that already run it keep running.",
                "Retire", Icons.Material.Filled.Archive))
        {
            Report(await Marketplace.RetireAsync(Id, await Client.ActorAsync()), "Retired.");
        }
    }

    private async Task UploadIconAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }

        if (file.Size > AppIconStore.MaxBytes)
        {
            Snackbar.Add($"'{file.Name}' is {Humanize.FileSize(file.Size)}; an icon may be at most {AppIconStore.MaxBytes / 1024} KiB. Scale it down and try again.", Severity.Error);
            return;
        }

        iconBusy = true;
        try
        {
            await using var stream = file.OpenReadStream(AppIconStore.MaxBytes + 1);
            var bytes = await AppIconStore.ReadLimitedAsync(stream, CancellationToken.None);
            Report(await IconService.SetAsync(Id, bytes, await Client.ActorAsync()), "new icon saved.");
        }
        finally
        {
            iconBusy = false;
        }
    }

    private async Task RemoveIconAsync()
    {
        if (await Dialogs.ConfirmAsync("Remove icon", $"Remove the icon of {app!.Name}? The marketplace shows the generic app icon instead.",
                "Remove", Icons.Material.Filled.HideImage))
        {
            Report(await IconService.RemoveAsync(Id, await Client.ActorAsync()), "icon removed.");
        }
    }

    private void Report(OperationResult<AppDto> result, string success)
    {
        if (result.Succeeded)
        {
            app = result.Value;
            Snackbar.Add($"{app!.Name}: {success}", Severity.Success);
        }
        else
        {
            Snackbar.Add(result.Error ?? "The app could not be changed.", Severity.Error);
        }
    }

    public void Dispose() => subscription?.Dispose();
}
