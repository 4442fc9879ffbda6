using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Common;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Portal.Features.Groups;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

public sealed partial class DeploymentDetailsPage
{
    private DeploymentDto? deployment;
    private IReadOnlyDictionary<string, string> groupNames = new Dictionary<string, string>();
    private bool loading = true;
    private bool busy;
    private KeyedSubscription? subscription;
    private Throttle? throttle;

    [Parameter]
    public string Id { get; set; } = "";

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private DeploymentActions Actions { get; set; } = default!;

    [Inject]
    private DeploymentApprovals Approvals { get; set; } = default!;

    [Inject]
    private GroupService Groups { get; set; } = default!;

    [Inject]
    private Notifier<DeploymentChanged> Changes { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        subscription?.Follow(Id);
        deployment = await Deployments.GetAsync(Id);
        groupNames = deployment is null ? groupNames : await Groups.DisplayNamesAsync([.. deployment.GroupIds]);
        loading = false;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        // Devices of a big rollout report in bursts: re-read at most four times a second.
        throttle = new Throttle(TimeSpan.FromMilliseconds(250), () => InvokeAsync(async () =>
        {
            deployment = await Deployments.GetAsync(Id);
            StateHasChanged();
        }));
        subscription = new KeyedSubscription(deploymentId => Changes.Subscribe(deploymentId, _ => throttle.RunAsync()));
        subscription.Follow(Id);
        // A change between the first read and the subscription (a rollout step right after creating it) was missed: read again.
        _ = throttle.RunAsync();
    }

    private static string StateExplanation(DeploymentState state) => state switch
    {
        DeploymentState.InProgress => "Releasing devices",
        DeploymentState.Paused => "Paused: no further devices until resumed",
        DeploymentState.Completed => "Every targeted device was tried; devices joining a target later get it at once",
        DeploymentState.Aborted => "Stopped: devices already released keep it",
        DeploymentState.CompletedWithFailures => "Every targeted device was tried and some failed (see the devices below)",
        DeploymentState.Failed => "Every targeted device was tried and every one failed",
        DeploymentState.Superseded => "A newer deployment of the same app or model replaced it on every device",
        DeploymentState.AwaitingApproval => "Waits for another admin's approval; nothing is released until then",
        _ => "Removed from every device",
    };

    private string DeviceName(string id) => deployment?.Devices?.FirstOrDefault(d => d.DeviceId == id)?.DeviceName ?? id;

    private async Task RunAsync(string action)
    {
        busy = true;
        var result = await Actions.RunAsync(Id, action, await Client.ActorAsync());
        busy = false;
        if (result.Succeeded)
        {
            Snackbar.Add($"{deployment!.Name} is now {result.Value}.", Severity.Success);
        }
        else
        {
            Snackbar.Add(result.Error ?? $"Could not {action} the deployment.", Severity.Error);
        }

        deployment = await Deployments.GetAsync(Id);
    }

    private async Task DecideAsync(bool approve)
    {
        var question = approve
            ? $"Approve {deployment!.Name}? It starts rolling out to its {deployment.Devices?.Count ?? 0} devices at once, as {deployment.CreatedBy} asked."
            : $"Reject {deployment!.Name}? It is aborted and no device gets it; {deployment.CreatedBy} sees that you rejected it.";
        if (!await Dialogs.ConfirmAsync(approve ? "Approve deployment" : "Reject deployment", question, approve ? "Approve" : "Reject",
                approve ? Icons.Material.Filled.Check : Icons.Material.Filled.Block))
        {
            return;
        }

        busy = true;
        var result = await Approvals.DecideAsync(Id, approve, null, await Client.ActorAsync());
        busy = false;
        Snackbar.Add(result.Succeeded ? $"{deployment.Name} is {(approve ? "approved and rolling out" : "rejected")}." : result.Error ?? "Could not decide the deployment.",
            result.Succeeded ? Severity.Success : Severity.Error);
        deployment = await Deployments.GetAsync(Id);
    }

    private async Task AbortAsync()
    {
        if (await Dialogs.ConfirmAsync("Abort deployment",
                $"Abort {deployment!.Name}? No further devices get it; devices that already run it keep running it.", "Abort", Icons.Material.Filled.Stop))
        {
            await RunAsync(DeploymentActions.Abort);
        }
    }

    private async Task UpdateAsync()
    {
        var dialog = await Dialogs.ShowAsync<UpdateDeploymentDialog>($"Update {deployment!.Name}",
            new DialogParameters<UpdateDeploymentDialog> { { d => d.Deployment, deployment } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false })
        {
            deployment = await Deployments.GetAsync(Id);
        }
    }

    private async Task RollbackAsync()
    {
        var question = deployment!.PreviousVersion is { } previous
            ? $"Roll back revision {deployment.Revision} of {deployment.Name}? Every device returns to revision {deployment.Revision - 1} ({previous}) at once."
            : $"Roll back {deployment.Name}? It is removed from every device, which falls back to what it ran before.";
        if (await Dialogs.ConfirmAsync("Roll back deployment", question, "Roll back", Icons.Material.Filled.Undo))
        {
            await RunAsync(DeploymentActions.Rollback);
        }
    }

    private async Task DeleteAsync()
    {
        if (!await Dialogs.ConfirmAsync("Delete deployment",
                $"Delete {deployment!.Name}? Its workloads are removed from every device and its history is lost.", "Delete", Icons.Material.Filled.Delete))
        {
            return;
        }

        var result = await Actions.DeleteAsync(Id, await Client.ActorAsync());
        if (result.Succeeded)
        {
            Snackbar.Add($"Deleted {deployment.Name}.", Severity.Success);
            Navigation.NavigateTo("/deployments");
        }
        else
        {
            Snackbar.Add(result.Error ?? "Could not delete the deployment.", Severity.Error);
        }
    }

    public void Dispose() => subscription?.Dispose();
}
