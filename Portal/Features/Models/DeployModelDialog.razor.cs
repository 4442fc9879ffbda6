using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>Deploys a model version to groups and devices: which file, which execution provider, how to roll out.</summary>
public sealed partial class DeployModelDialog
{
    private string name = "";
    private IReadOnlyCollection<string> groupIds = [];
    private IReadOnlyCollection<string> deviceIds = [];
    private string provider = ExecutionProviders.Cpu;
    private bool useOriginal;
    private RolloutStrategy strategy = new();
    private bool skipIneligible;
    private DeploymentCheck? check;
    private string? error;
    private bool busy;

    [CascadingParameter]
    private IMudDialogInstance MudDialog { get; set; } = default!;

    /// <summary>Why this version is flagged (failed a rollout, rolled back): said before deploying it again.</summary>
    [Parameter]
    public string? Flag { get; set; }

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Parameter, EditorRequired]
    public ModelVersionDto Version { get; set; } = default!;

    private string FileNote => Version.OptimizedSizeBytes is not { } optimized
        ? $"This version has no optimized copy: devices get the original ({Humanize.FileSize(Version.SizeBytes)})."
        : useOriginal
            ? $"Devices get the file exactly as uploaded ({Humanize.FileSize(Version.SizeBytes)})."
            : $"Devices get the optimized copy ({Humanize.FileSize(optimized)}; constant folding and redundant nodes removed, same outputs).";

    /// <summary>The deployment as the dialog stands: what Deploy sends and what the check summary checks.</summary>
    private CreateDeploymentRequest Request => new(
        AppId: null,
        Version: null,
        Name: string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
        GroupIds: groupIds.ToList(),
        DeviceIds: deviceIds.ToList(),
        Strategy: strategy,
        ModelId: Version.ModelId,
        ModelVersion: Version.Version,
        ExecutionProvider: provider,
        UseOriginal: useOriginal,
        SkipIneligible: skipIneligible);

    protected override void OnInitialized() => name = $"{Version.ModelName} v{Version.Version}";

    private async Task SubmitAsync()
    {
        busy = true;
        error = null;
        var result = await Deployments.CreateAsync(Request, await Client.ActorAsync());
        busy = false;
        if (!result.Succeeded)
        {
            error = result.Error ?? "The deployment could not be created.";
            return;
        }

        var (deployment, created) = result.Value;
        if (!created)
        {
            Snackbar.Add("An active deployment already deploys exactly this; here it is.", Severity.Info);
        }

        MudDialog.Close(DialogResult.Ok(deployment.Id));
        Navigation.NavigateTo($"/deployments/{deployment.Id}");
    }
}
