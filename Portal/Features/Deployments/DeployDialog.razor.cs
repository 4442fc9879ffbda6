using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>Deploys anything to groups and devices: the kind's fields come from <see cref="Draft"/>; the name, targets,
/// check and strategy are the same for every kind. Creates the deployment and opens it.</summary>
public sealed partial class DeployDialog
{
    private Dictionary<string, object?> fieldParameters = [];
    private string name = "";
    private bool nameEdited;
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

    /// <summary>What to deploy: an app version, a model version, each kind with its own fields.</summary>
    [Parameter, EditorRequired]
    public DeployDraft Draft { get; set; } = default!;

    /// <summary>Opens the dialog for a draft, titled "Deploy …".</summary>
    public static Task<IDialogReference> ShowAsync(IDialogService dialogs, string title, DeployDraft draft) =>
        dialogs.ShowAsync<DeployDialog>(title, new DialogParameters<DeployDialog> { { d => d.Draft, draft } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, DefaultFocus = DefaultFocus.None });

    /// <summary>The deployment as the dialog stands: what Deploy sends and what the check summary checks.</summary>
    private CreateDeploymentRequest Request => Draft.ApplyTo(new CreateDeploymentRequest(
        AppId: null,
        Version: null,
        Name: string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
        GroupIds: groupIds.ToList(),
        DeviceIds: deviceIds.ToList(),
        Strategy: strategy,
        SkipIneligible: skipIneligible));

    protected override void OnInitialized()
    {
        fieldParameters = new()
        {
            ["Draft"] = Draft,
            ["Changed"] = EventCallback.Factory.Create(this, DraftChanged),
        };
        name = Draft.SuggestedName;
    }

    private void DraftChanged()
    {
        if (!nameEdited)
        {
            name = Draft.SuggestedName;
        }
    }

    private void NameChanged(string value)
    {
        name = value;
        nameEdited = true;
    }

    private async Task SubmitAsync()
    {
        if (Draft.Missing() is { } missing)
        {
            error = missing;
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
