using System.Text.Json;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.DataFlows;

namespace Portal.Features.DataFlows;

/// <summary>One flow: what a version does in words and as JSON, its versions, and deploying, versioning or deleting it.</summary>
public sealed partial class DataFlowDetailsPage
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerOptions.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private DataFlowDto? flow;
    private List<(string Id, string Name, string Version, DeploymentState State)> deployments = [];
    private DataFlowVersionDto shown = default!;
    private bool loading = true;

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private DataFlowService Flows { get; set; } = default!;

    [Inject]
    private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        flow = await Flows.GetAsync(Name);
        if (flow is not null)
        {
            shown = flow.Versions[0];
            await using var db = await DbFactory.CreateDbContextAsync();
            var found = await db.Deployments.AsNoTracking().Where(d => d.Flow != null && d.SourceId == flow.Id)
                .OrderByDescending(d => d.CreatedAt).Select(d => new { d.Id, d.Name, d.Version, d.State }).Take(50).ToListAsync();
            deployments = [.. found.Select(d => (d.Id, d.Name, d.Version, d.State))];
        }

        loading = false;
    }

    private static string Json(DataFlowSpec spec) => JsonSerializer.Serialize(spec, Indented);

    private Task<IDialogReference> DeployAsync() => DeployDialog.ShowAsync(Dialogs, $"Deploy {flow!.Name} v{shown.Version}", new FlowDeployDraft(flow, shown));

    private async Task DeleteAsync()
    {
        if (!await Dialogs.ConfirmAsync($"Delete {flow!.Name}?",
            $"Deletes the flow and its {flow.Versions.Count} version(s). Refused while a deployment still runs it on devices; device data it sent stays.", "Delete",
            Icons.Material.Filled.Delete))
        {
            return;
        }

        var result = await Flows.DeleteAsync(flow.Id, await Client.ActorAsync());
        if (!result.Succeeded)
        {
            Snackbar.Add(result.Error!, Severity.Error);
            return;
        }

        Snackbar.Add($"Deleted {flow.Name}.", Severity.Success);
        Navigation.NavigateTo("/dataflows");
    }
}
