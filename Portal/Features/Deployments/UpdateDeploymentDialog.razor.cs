using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Features.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;

namespace Portal.Features.Deployments;

/// <summary>
/// Another version, parameters, targets or strategy for a deployment: shows what would happen (the preview, refreshed
/// as things change) and updates only with an explicit confirmation when devices would lose the workload.
/// </summary>
public sealed partial class UpdateDeploymentDialog
{
    private IReadOnlyList<DeploymentVersions.Choice>? choices;
    private string version = "";
    private Dictionary<string, string> values = [];
    private IReadOnlyCollection<string> groupIds = [];
    private IReadOnlyCollection<string> deviceIds = [];
    private RolloutStrategy strategy = new();
    private DeploymentUpdatePreview? preview;
    private bool confirmed;
    private string? error;
    private bool busy;

    [CascadingParameter]
    private IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private DeploymentUpdateService Updates { get; set; } = default!;

    [Inject]
    private DeploymentVersions Versions { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Parameter, EditorRequired]
    public DeploymentDto Deployment { get; set; } = default!;

    private string CurrentVersion => Deployment.Model is { } model ? model.Version.ToString(CultureInfo.InvariantCulture) : Deployment.Version;

    private IReadOnlyList<AppParameter> Parameters => choices?.FirstOrDefault(c => c.Version == version)?.Parameters ?? [];

    private bool CanSubmit => !busy && preview is { Changes.Count: > 0 } p && (p.Lose.Count == 0 || confirmed);

    protected override async Task OnInitializedAsync()
    {
        (version, groupIds, deviceIds, strategy) = (CurrentVersion, [.. Deployment.GroupIds], [.. Deployment.DeviceIds], Deployment.Strategy);
        values = new Dictionary<string, string>(Deployment.Parameters, StringComparer.Ordinal);
        choices = await Versions.ChoicesAsync(Deployment);
        await RefreshAsync();
    }

    private string? Flag(string v) => choices?.FirstOrDefault(c => c.Version == v)?.Flag;

    private async Task VersionChangedAsync(string chosen)
    {
        version = chosen;
        // Keep the values of parameters the chosen version also has; the others start at their defaults.
        values = Parameters.ToDictionary(p => p.Name, p => values.GetValueOrDefault(p.Name) ?? p.Default ?? "", StringComparer.Ordinal);
        await RefreshAsync();
    }

    private async Task ParameterChangedAsync(string name, string? value)
    {
        values[name] = value ?? "";
        await RefreshAsync();
    }

    private UpdateDeploymentRequest Request() => Deployment.Kind switch
    {
        DeploymentKind.Model => new UpdateDeploymentRequest(null, int.Parse(version, CultureInfo.InvariantCulture), null, [.. groupIds], [.. deviceIds], strategy, confirmed),
        DeploymentKind.DataFlow => new UpdateDeploymentRequest(null, null, null, [.. groupIds], [.. deviceIds], strategy, confirmed,
            DataFlowVersion: int.Parse(version, CultureInfo.InvariantCulture)),
        _ => new UpdateDeploymentRequest(version, null, values.Where(v => v.Value.Length > 0).ToDictionary(v => v.Key, v => v.Value), [.. groupIds], [.. deviceIds], strategy, confirmed),
    };

    /// <summary>Works the preview out again; a change of the devices that would lose it asks for the confirmation again.</summary>
    private async Task RefreshAsync()
    {
        var losing = preview?.Lose.Select(d => d.DeviceId).ToList() ?? [];
        var result = await Updates.PreviewAsync(Deployment.Id, Request());
        preview = result.Succeeded ? result.Value : null;
        error = result.Succeeded ? null : result.Error;
        if (!losing.SequenceEqual(preview?.Lose.Select(d => d.DeviceId) ?? []))
        {
            confirmed = false;
        }
    }

    private async Task SubmitAsync()
    {
        busy = true;
        var result = await Updates.UpdateAsync(Deployment.Id, Request(), await Client.ActorAsync());
        busy = false;
        if (!result.Succeeded)
        {
            error = result.Error ?? "The deployment could not be updated.";
            return;
        }

        Snackbar.Add($"Revision {result.Value!.Revision} of {result.Value.Name} is rolling out.", Severity.Success);
        MudDialog.Close(DialogResult.Ok(result.Value.Revision));
    }
}
