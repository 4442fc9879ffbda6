using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;

namespace Portal.Features.Marketplace;

/// <summary>Asks for everything a deployment needs, creates it and opens it.</summary>
public sealed partial class DeployDialog
{
    private string version = "";
    private string name = "";
    private bool nameEdited;
    private Dictionary<string, string> values = [];
    private IReadOnlyCollection<string> groupIds = [];
    private IReadOnlyCollection<string> deviceIds = [];
    private RolloutStrategy strategy = new();
    private bool skipIneligible;
    private DeploymentCheck? check;
    private string? error;
    private bool busy;

    [CascadingParameter]
    private IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Parameter, EditorRequired]
    public AppDto App { get; set; } = default!;

    private IReadOnlyList<AppParameter> Parameters => App.Versions.FirstOrDefault(v => v.Version == version)?.Parameters ?? [];

    /// <summary>Versions that failed a rollout or were rolled back: not preselected, and marked in the list.</summary>
    [Parameter]
    public IReadOnlyDictionary<string, string> Flags { get; set; } = new Dictionary<string, string>();

    protected override void OnInitialized() => VersionChanged(VersionFlags.Preselect([.. App.Versions.Select(v => v.Version)], Flags) ?? "");

    /// <summary>The deployment as the dialog stands: what Deploy sends and what the check summary checks.</summary>
    private CreateDeploymentRequest Request => new(
        App.Id,
        version,
        string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
        values.Where(v => v.Value.Length > 0).ToDictionary(v => v.Key, v => v.Value),
        groupIds.ToList(),
        deviceIds.ToList(),
        strategy,
        SkipIneligible: skipIneligible);


    private void VersionChanged(string chosen)
    {
        version = chosen;
        if (!nameEdited)
        {
            name = $"{App.Name} {version}";
        }

        // Keep what was typed for parameters the new version also has; prefill the others with their defaults.
        values = Parameters.ToDictionary(p => p.Name, p => values.GetValueOrDefault(p.Name) ?? p.Default ?? "");
    }

    private void NameChanged(string value)
    {
        name = value;
        nameEdited = true;
    }

    private async Task SubmitAsync()
    {
        if (Parameters.FirstOrDefault(p => p.Required && string.IsNullOrWhiteSpace(values.GetValueOrDefault(p.Name))) is { } missing)
        {
            error = $"{missing.Name} is required.";
            return;
        }

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
