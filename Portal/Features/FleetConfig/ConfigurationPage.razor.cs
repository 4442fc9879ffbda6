using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Features.Devices;
using Portal.Features.Groups;
using Portal.Shared.Config;
using Portal.Shared.Deployments;
using Portal.Shared.Security;

namespace Portal.Features.FleetConfig;

/// <summary>Edits one level's values, files and secrets; the level is "fleet", "group:ID" or "device:ID".</summary>
public partial class ConfigurationPage
{
    private readonly List<(string Key, string Name)> levels = [("fleet", "Fleet (every device)")];
    private readonly List<FileDraft> files = [];
    private IReadOnlyList<SecretDto> secrets = [];
    private string level = "fleet";
    private string? valuesText;
    private bool canChange;
    private string? secretName;
    private string? secretValue;
    private bool registry;
    private string? registryServer;
    private string? registryUser;
    private string? importText;
    private bool gradually;
    private RolloutStrategy strategy = new(RolloutKind.Rolling, BatchSize: 1, DeviceTimeoutSeconds: 300);
    private ConfigRolloutsPanel? rolloutsPanel;

    [CascadingParameter]
    private Task<AuthenticationState> Authentication { get; set; } = default!;

    [Inject]
    private ConfigSetService Sets { get; set; } = default!;

    [Inject]
    private SecretService Secrets { get; set; } = default!;

    [Inject]
    private GroupService Groups { get; set; } = default!;

    [Inject]
    private DeviceService Devices { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication).User;
        canChange = user.IsInRole(PortalRoles.Admin) || user.IsInRole(PortalRoles.Operator);
        levels.AddRange((await Groups.ListAsync()).Select(g => ($"group:{g.Id}", $"Group {g.Name}")));
        levels.AddRange((await Devices.ListAsync()).Select(d => ($"device:{d.Id}", $"Device {d.Name}")));
        await LoadAsync();
    }

    private ConfigScope Scope => level.Split(':', 2) switch
    {
        ["group", var id] => ConfigScope.Group(id),
        ["device", var id] => ConfigScope.Device(id),
        _ => ConfigScope.Fleet,
    };

    private async Task SelectAsync(string value)
    {
        level = value;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var set = await Sets.GetAsync(Scope);
        valuesText = set.Succeeded ? ConfigText.Format(set.Value!.Values) : "";
        files.Clear();
        files.AddRange((set.Value?.Files ?? new Dictionary<string, string>()).Select(f => new FileDraft { Name = f.Key, Text = f.Value }));
        secrets = (await Secrets.ListAsync(Scope)).Value ?? [];
    }

    private async Task SaveAsync()
    {
        var (values, problem) = ConfigText.Parse(valuesText);
        if (problem is null && files.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problem = $"The file {twice.Key} is listed twice.";
        }

        if (problem is not null)
        {
            Snackbar.Add(problem, Severity.Error);
            return;
        }

        var request = new SaveConfigSetRequest(values, files.ToDictionary(f => f.Name?.Trim() ?? "", f => f.Text ?? "", StringComparer.Ordinal), gradually ? strategy : null);
        var saved = await Sets.SaveAsync(Scope, request, await Client.ActorAsync());
        Report(saved, saved.Value?.RolloutId is null ? "Saved." : "Saved; rolling out below.");
        await LoadAsync();
        if (rolloutsPanel is not null)
        {
            await rolloutsPanel.RefreshAsync();
        }
    }

    private async Task SetSecretAsync()
    {
        var request = new SaveSecretRequest(secretValue, registry ? SecretKind.RegistryCredential : SecretKind.Value, registryServer, registryUser);
        var result = await Secrets.SetAsync(Scope, secretName?.Trim() ?? "", request, await Client.ActorAsync());
        Report(result, $"Set {secretName}.");
        if (result.Succeeded)
        {
            // The value leaves the page as soon as it is stored.
            (secretName, secretValue, registryServer, registryUser, registry) = (null, null, null, null, false);
            await LoadAsync();
        }
    }

    private async Task ImportAsync()
    {
        var result = await Secrets.ImportAsync(Scope, importText, await Client.ActorAsync());
        Report(result, $"Imported {result.Value?.Names.Count} secret(s).");
        if (result.Succeeded)
        {
            importText = null;
            await LoadAsync();
        }
    }

    private async Task DeleteAsync(string name)
    {
        Report(await Secrets.DeleteAsync(Scope, name, await Client.ActorAsync()), $"Deleted {name}.");
        await LoadAsync();
    }

    private void Report<T>(OperationResult<T> result, string done) =>
        Snackbar.Add(result.Succeeded ? done : result.Error ?? "Not saved.", result.Succeeded ? Severity.Success : Severity.Error);
}
