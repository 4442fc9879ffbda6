using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Common;
using Portal.Features.Deployments;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>Where a model version runs: its deployments with their progress and each serving device's latest metrics, live.</summary>
public sealed partial class ModelUsagePanel
{
    private IReadOnlyList<ModelUsage> usage = [];
    private IReadOnlyList<DeviceInferenceMetrics> metrics = [];
    private readonly List<IDisposable> subscriptions = [];

    [Parameter, EditorRequired]
    public ModelVersionDto Version { get; set; } = default!;

    [Inject]
    private ModelRegistry Registry { get; set; } = default!;

    [Inject]
    private InferenceMetricsStore Metrics { get; set; } = default!;

    [Inject]
    private Notifier<DeploymentChanged> DeploymentChanges { get; set; } = default!;

    [Inject]
    private Notifier<InferenceMetricsReported> Reports { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        usage = Version.Deployments;
        metrics = await Metrics.ForModelAsync(Version.ModelName, Version.Version, CancellationToken.None);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        // Rollouts and devices report in bursts: re-read at most once a second.
        var deployments = new Throttle(TimeSpan.FromSeconds(1), () => InvokeAsync(async () =>
        {
            usage = (await Registry.GetVersionAsync(Version.ModelId, Version.Version))?.Deployments ?? [];
            StateHasChanged();
        }));
        var reports = new Throttle(TimeSpan.FromSeconds(1), () => InvokeAsync(async () =>
        {
            metrics = await Metrics.ForModelAsync(Version.ModelName, Version.Version, CancellationToken.None);
            StateHasChanged();
        }));
        subscriptions.Add(DeploymentChanges.Subscribe(_ => deployments.RunAsync()));
        subscriptions.Add(Reports.Subscribe(r => r.Models.Contains(Version.ModelName) ? reports.RunAsync() : Task.CompletedTask));
    }

    /// <summary>Why this version is flagged (failed a rollout, rolled back), or null.</summary>
    [Parameter]
    public string? Flag { get; set; }

    private async Task DeployAsync() =>
        await DeployDialog.ShowAsync(Dialogs, $"Deploy {Version.ModelName} v{Version.Version}", new ModelDeployDraft(Version, Flag));

    public void Dispose() => subscriptions.ForEach(s => s.Dispose());
}
