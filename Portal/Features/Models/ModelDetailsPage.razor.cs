using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Common;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>A model, its versions and an upload panel; the chosen version's signature, stage, playground, deployments and profiles.</summary>
public sealed partial class ModelDetailsPage
{
    private ModelDto? model;
    private ModelVersionDto? selected;
    private IReadOnlyDictionary<string, string> flags = new Dictionary<string, string>();
    private bool loading = true;
    private int tab;
    private int? missingVersion;
    private KeyedSubscription? subscription;

    /// <summary>The model's id or name.</summary>
    [Parameter]
    public string Id { get; set; } = "";

    /// <summary>The version to show; the newest when absent.</summary>
    [Parameter]
    public int? Version { get; set; }

    [Inject]
    private ModelRegistry Registry { get; set; } = default!;

    [Inject]
    private Portal.Features.Deployments.DeploymentVersions DeploymentVersions { get; set; } = default!;

    [Inject]
    private Notifier<ModelChanged> Changes { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        await LoadAsync(Version);
        subscription?.Follow(model?.Id);
        loading = false;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            // The route may name the model rather than its id; the key is the id, known once the model is read.
            subscription = new KeyedSubscription(modelId => Changes.Subscribe(modelId, _ => InvokeAsync(async () => { await LoadAsync(selected?.Version); StateHasChanged(); })));
            subscription.Follow(model?.Id);
        }
    }

    private async Task LoadAsync(int? version)
    {
        model = await Registry.GetAsync(Id);
        flags = model is null ? flags : await DeploymentVersions.FlagsAsync(model.Id);
        var versions = model?.Versions ?? [];
        selected = versions.FirstOrDefault(v => v.Version == version) ?? (versions.Count > 0 ? versions[0] : null);
        missingVersion = version is { } asked && selected?.Version != asked ? asked : null;
    }

    private string? FlagOf(int version) => flags.GetValueOrDefault(version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private Task ReloadAsync() => LoadAsync(selected?.Version);

    private void Select(int version) => Navigation.NavigateTo($"/models/{model!.Name}/versions/{version}");

    private async Task UploadedAsync(ModelVersionDto uploaded)
    {
        // Show it at once; the address follows so a reload or a shared link opens the same version.
        await LoadAsync(uploaded.Version);
        tab = 0;
        Navigation.NavigateTo($"/models/{uploaded.ModelName}/versions/{uploaded.Version}");
    }

    private async Task DeleteVersionAsync(ModelVersionDto version)
    {
        // Held apart: the model reloads (live) while the dialog is open or once the version is gone.
        var (id, name) = (model!.Id, model.Name);
        var users = version.Deployments.Count == 0 ? "No deployment uses it." : $"Deployments that used it: {string.Join(", ", version.Deployments.Select(d => $"{d.Name} ({d.State})"))}.";
        if (await ConfirmAsync($"Delete {name} v{version.Version}", $"Delete version {version.Version} of {name}? {users} Its stored file goes unless another version shares it."))
        {
            var result = await Registry.DeleteVersionAsync(id, version.Version, await Client.ActorAsync());
            Snackbar.Add(result.Succeeded ? $"Deleted {name} v{version.Version}." : result.Error ?? "Could not delete.", result.Succeeded ? Severity.Success : Severity.Error);
            if (result.Succeeded)
            {
                Navigation.NavigateTo($"/models/{name}");
            }
        }
    }

    private async Task DeleteModelAsync()
    {
        var (id, name, count) = (model!.Id, model.Name, model.Versions?.Count ?? 0);
        if (await ConfirmAsync($"Delete {name}", $"Delete the model {name} with its {count} version(s) and their stored files? A model that an active deployment uses is not deleted."))
        {
            var result = await Registry.DeleteModelAsync(id, await Client.ActorAsync());
            Snackbar.Add(result.Succeeded ? $"Deleted {name}." : result.Error ?? "Could not delete.", result.Succeeded ? Severity.Success : Severity.Error);
            if (result.Succeeded)
            {
                Navigation.NavigateTo("/models");
            }
        }
    }

    private async Task<bool> ConfirmAsync(string title, string message)
    {
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>(title, new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, title }, { d => d.Message, message }, { d => d.ConfirmText, "Delete" },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        return await dialog.Result is { Canceled: false };
    }

    public void Dispose() => subscription?.Dispose();
}
