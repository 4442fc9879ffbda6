using Microsoft.AspNetCore.Components;
using Portal.Common;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>A model, its versions and an upload panel; the chosen version's signature, stage, playground, deployments and profiles.</summary>
public sealed partial class ModelDetailsPage
{
    private ModelDto? model;
    private ModelVersionDto? selected;
    private bool loading = true;
    private int tab;
    private int? missingVersion;
    private IDisposable? subscription;

    /// <summary>The model's id or name.</summary>
    [Parameter]
    public string Id { get; set; } = "";

    /// <summary>The version to show; the newest when absent.</summary>
    [Parameter]
    public int? Version { get; set; }

    [Inject]
    private ModelRegistry Registry { get; set; } = default!;

    [Inject]
    private Notifier<ModelChanged> Changes { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        await LoadAsync(Version);
        loading = false;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            subscription = Changes.Subscribe(changed => changed.ModelId == model?.Id
                ? InvokeAsync(async () => { await LoadAsync(selected?.Version); StateHasChanged(); })
                : Task.CompletedTask);
        }
    }

    private async Task LoadAsync(int? version)
    {
        model = await Registry.GetAsync(Id);
        var versions = model?.Versions ?? [];
        selected = versions.FirstOrDefault(v => v.Version == version) ?? (versions.Count > 0 ? versions[0] : null);
        missingVersion = version is { } asked && selected?.Version != asked ? asked : null;
    }

    private Task ReloadAsync() => LoadAsync(selected?.Version);

    private void Select(int version) => Navigation.NavigateTo($"/models/{model!.Name}/versions/{version}");

    private async Task UploadedAsync(ModelVersionDto uploaded)
    {
        // Show it at once; the address follows so a reload or a shared link opens the same version.
        await LoadAsync(uploaded.Version);
        tab = 0;
        Navigation.NavigateTo($"/models/{uploaded.ModelName}/versions/{uploaded.Version}");
    }

    public void Dispose() => subscription?.Dispose();
}
