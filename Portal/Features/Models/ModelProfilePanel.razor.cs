using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Common;
using Portal.Features.Devices;
using Portal.Shared.Devices;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>Benchmarks of a model version on chosen devices, started here and filled in live as devices answer.</summary>
public sealed partial class ModelProfilePanel
{
    private IReadOnlyList<ModelProfileDto>? profiles;
    private Dictionary<string, string> deviceNames = [];
    private Dictionary<string, string> deviceLabels = [];
    private IReadOnlyCollection<string> deviceIds = [];
    private string provider = ExecutionProviders.Cpu;
    private int runs = 100;
    private string? error;
    private bool busy;
    private IDisposable? subscription;

    [Parameter, EditorRequired]
    public ModelVersionDto Version { get; set; } = default!;

    [Inject]
    private Portal.Features.Audit.CircuitClient Client { get; set; } = default!;

    [Inject]
    private ModelProfiles Profiles { get; set; } = default!;

    [Inject]
    private DeviceService Devices { get; set; } = default!;

    [Inject]
    private Notifier<ProfileChanged> Changes { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var devices = (await Devices.ListAsync()).Where(d => d.Status != DeviceStatus.Revoked).ToList();
        deviceNames = devices.ToDictionary(d => d.Id, d => d.Name);
        deviceLabels = devices.ToDictionary(d => d.Id, d => d.Status == DeviceStatus.Online ? d.Name : $"{d.Name} ({d.Status.ToString().ToLowerInvariant()})");
        await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            // The notice names the version's row id, which pages do not see; profile runs are rare, so any change re-reads.
            var reload = new Throttle(TimeSpan.FromMilliseconds(250), () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }));
            subscription = Changes.Subscribe(_ => reload.RunAsync());
        }
    }

    private async Task LoadAsync()
    {
        var result = await Profiles.ListAsync(Version.ModelId, Version.Version, CancellationToken.None);
        profiles = result.Value ?? [];
    }

    private async Task StartAsync()
    {
        (busy, error) = (true, null);
        var result = await Profiles.StartAsync(Version.ModelId, Version.Version, new ProfileModelRequest(deviceIds.ToList(), provider, runs),
            await Client.ActorAsync(), CancellationToken.None);
        busy = false;
        if (!result.Succeeded)
        {
            error = result.Error ?? "Profiling could not start.";
            return;
        }

        await LoadAsync();
    }

    private static string Ms(double ms) => ms.ToString(ms < 1 ? "0.###" : ms < 100 ? "0.##" : "0", CultureInfo.InvariantCulture) + " ms";

    public void Dispose() => subscription?.Dispose();
}
