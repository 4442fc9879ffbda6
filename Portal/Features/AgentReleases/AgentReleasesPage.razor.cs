using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Portal.Features.Devices;
using Portal.Shared.AgentReleases;
using Portal.Shared.Deployments;

namespace Portal.Features.AgentReleases;

/// <summary>The releases, how many devices run each version (read again every few seconds and on device events), upload, roll out, delete.</summary>
public sealed partial class AgentReleasesPage
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(3);

    private IReadOnlyList<AgentReleaseDto>? releases;
    private IReadOnlyList<(string Version, int Devices)> versions = [];
    private DateTimeOffset readAt;
    private Timer? timer;

    [Inject]
    private AgentReleaseService Releases { get; set; } = default!;

    [Inject]
    private DeviceService Devices { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        // Versions change as agents restart on a new release: keep the counts current while the page is open.
        timer = new Timer(_ => InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        }), null, Refresh, Refresh);
    }

    private async Task LoadAsync()
    {
        releases = await Releases.ListAsync();
        versions = await Devices.AgentVersionsAsync();
        readAt = Clock.GetUtcNow();
    }

    private int Count(string version) => versions.FirstOrDefault(v => v.Version == version).Devices;

    private async Task UploadAsync()
    {
        var dialog = await Dialogs.ShowAsync<UploadReleaseDialog>("Upload an agent release",
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false });
        if (await dialog.Result is { Canceled: false, Data: AgentReleaseDto release })
        {
            Snackbar.Add($"Release {release.Version} uploaded and signed.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task RollOutAsync(AgentReleaseDto release)
    {
        var dialog = await Dialogs.ShowAsync<RolloutReleaseDialog>($"Roll out agent {release.Version}",
            new DialogParameters<RolloutReleaseDialog> { { d => d.Release, release } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: DeploymentDto deployment })
        {
            Navigation.NavigateTo($"/deployments/{deployment.Id}");
        }
    }

    private async Task DeleteAsync(AgentReleaseDto release)
    {
        if (!await Dialogs.ConfirmAsync("Delete release", $"Delete agent release {release.Version}? Its builds are removed from the portal; devices already on it keep running it.",
                "Delete", Icons.Material.Filled.Delete))
        {
            return;
        }

        var result = await Releases.DeleteAsync(release.Version, await Client.ActorAsync());
        Snackbar.Add(result.Succeeded ? $"Deleted release {release.Version}." : result.Error ?? "Could not delete the release.", result.Succeeded ? Severity.Success : Severity.Error);
        await LoadAsync();
    }

    public void Dispose() => timer?.Dispose();
}
