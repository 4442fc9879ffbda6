using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.DataFlows;
using Portal.Shared.Models;

namespace Portal.Features.DataFlows;

/// <summary>Builds a new flow (blank or from the solar template), or the next version of one, and saves it checked.</summary>
public sealed partial class DataFlowEditorPage
{
    private FlowDraft? draft;
    private IReadOnlyList<(string Name, ModelSignature Signature)> models = [];
    private List<string> problems = [];
    private bool busy;

    /// <summary>The flow a new version is for; null for a new flow.</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary><c>?template=solar</c> starts from the shipped example.</summary>
    [SupplyParameterFromQuery]
    public string? Template { get; set; }

    [Inject]
    private DataFlowService Flows { get; set; } = default!;

    [Inject]
    private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private string Title => Name is null ? "New data flow" : $"New version of {Name}";

    protected override async Task OnParametersSetAsync()
    {
        models = await ModelsAsync();
        if (Name is not null && await Flows.GetAsync(Name) is { } flow)
        {
            draft = FlowDraft.From(flow.Versions[0].Spec, flow.Description);
        }
        else
        {
            draft = new FlowDraft();
            if (string.Equals(Template, "solar", StringComparison.OrdinalIgnoreCase))
            {
                UseSolarTemplate();
            }
        }
    }

    private void UseSolarTemplate()
    {
        draft = FlowDraft.From(DataFlowTemplates.Solar(), "Irradiance forecast at the PV plant; derates the inverters ahead of cloud");
        problems = [];
    }

    private async Task SaveAsync()
    {
        busy = true;
        problems = [];
        try
        {
            var spec = draft!.ToSpec();
            var actor = await Client.ActorAsync();
            if (Name is null)
            {
                var created = await Flows.CreateAsync(new CreateDataFlowRequest(spec, draft.Description, draft.Notes), actor);
                Done(created.Succeeded, created.Error, spec.Name, 1);
            }
            else
            {
                var added = await Flows.AddVersionAsync(Name, new AddDataFlowVersionRequest(spec, draft.Notes), actor);
                Done(added.Succeeded, added.Error, Name, added.Value?.Version ?? 0);
            }
        }
        finally
        {
            busy = false;
        }
    }

    private void Done(bool succeeded, string? error, string name, int version)
    {
        if (!succeeded)
        {
            problems = [.. (error ?? "The flow could not be saved.").Split('\n', StringSplitOptions.RemoveEmptyEntries)];
            return;
        }

        Snackbar.Add($"Saved {name} v{version}. Deploy it from its page.", Severity.Success);
        Navigation.NavigateTo($"/dataflows/{Uri.EscapeDataString(name)}");
    }

    /// <summary>Every registered model with the signature a flow is checked against.</summary>
    private async Task<IReadOnlyList<(string, ModelSignature)>> ModelsAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        return [.. (await DataFlowChecks.CheckedVersionsAsync(db, null, CancellationToken.None)).Select(v => (v.Model, v.Signature))];
    }
}
