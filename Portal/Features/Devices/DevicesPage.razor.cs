using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Portal.Shared.Devices;
using Portal.Shared.Security;

namespace Portal.Features.Devices;

public sealed partial class DevicesPage
{
    private MudDataGrid<DeviceDto> grid = default!;
    private string search = "";
    private DeviceStatus? status;
    private string label = "";
    private string? groupId;
    private string? agentVersion;
    private IReadOnlyList<(string Version, int Devices)> agentVersions = [];
    private IReadOnlyList<GroupDto> groups = [];
    private string summary = "";
    private int total;
    private IDisposable? subscription;
    private int reloadPending;

    [Inject]
    private DeviceService Devices { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private DeviceDecommission Decommission { get; set; } = default!;

    [Inject]
    private DeviceEvents Events { get; set; } = default!;

    [Inject]
    private IDeviceGroups GroupService { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? Authentication { get; set; }

    /// <summary>?status=Offline (the dashboard links here) opens the list filtered.</summary>
    [SupplyParameterFromQuery(Name = "status")]
    public string? StatusQuery { get; set; }

    /// <summary>?agentVersion=0.5.2 (the Agent releases page links here) opens the list of devices on that version.</summary>
    [SupplyParameterFromQuery(Name = "agentVersion")]
    public string? AgentVersionQuery { get; set; }

    /// <summary>Decided once per page, not once per row: an AuthorizeView in each row costs render time at fleet scale.</summary>
    private bool canManage;

    protected override async Task OnInitializedAsync()
    {
        status = Enum.TryParse<DeviceStatus>(StatusQuery, ignoreCase: true, out var asked) && Enum.IsDefined(asked) ? asked : null;
        agentVersion = string.IsNullOrWhiteSpace(AgentVersionQuery) ? null : AgentVersionQuery.Trim();
        groups = await GroupService.ListAsync();
        agentVersions = await Devices.AgentVersionsAsync();
        canManage = Authentication is not null
            && (await Authentication).User is var user && (user.IsInRole(PortalRoles.Admin) || user.IsInRole(PortalRoles.Operator));
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            subscription = Events.Subscribe(_ => ReloadSoonAsync());
        }
    }

    private async Task<GridData<DeviceDto>> LoadAsync(GridState<DeviceDto> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var page = await Devices.QueryAsync(
            new DeviceQuery(state.Page, state.PageSize, search, status, sort?.SortBy ?? nameof(DeviceDto.Name), sort?.Descending ?? false, label, groupId, agentVersion),
            cancellationToken);
        var counts = await Devices.CountsAsync(cancellationToken);
        // Versions change as agents update: the filter's choices follow.
        agentVersions = await Devices.AgentVersionsAsync(cancellationToken);
        summary = $"{counts.Online} online · {counts.Total - counts.Online - counts.Revoked} offline · {counts.Total} enrolled";
        total = page.Total;
        return new GridData<DeviceDto> { Items = page.Items, TotalItems = page.Total };
    }

    /// <summary>Many devices can change at once: at most one reload a second, however many events arrive.</summary>
    private async Task ReloadSoonAsync()
    {
        if (Interlocked.Exchange(ref reloadPending, 1) == 1)
        {
            return;
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        Interlocked.Exchange(ref reloadPending, 0);
        await InvokeAsync(grid.ReloadServerData);
    }

    private Task SearchChangedAsync(string value)
    {
        search = value ?? "";
        return grid.ReloadServerData();
    }

    private Task LabelChangedAsync(string value)
    {
        label = value ?? "";
        return grid.ReloadServerData();
    }

    private Task GroupChangedAsync(string? value)
    {
        groupId = value;
        return grid.ReloadServerData();
    }

    private Task AgentVersionChangedAsync(string? value)
    {
        agentVersion = value;
        return grid.ReloadServerData();
    }

    private Task StatusChangedAsync(DeviceStatus? value)
    {
        status = value;
        return grid.ReloadServerData();
    }

    private async Task DecommissionAsync(DeviceDto device)
    {
        var dialog = await Dialogs.ShowAsync<DecommissionDialog>($"Decommission {device.Name}", new DialogParameters<DecommissionDialog> { { d => d.Device, device } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false });
        if (await dialog.Result is { Canceled: false, Data: DecommissionOutcome outcome })
        {
            Snackbar.Add($"{device.Name} was decommissioned. {outcome.Workloads}", Severity.Success);
            await grid.ReloadServerData();
        }
    }

    private async Task RemoveAsync(DeviceDto device)
    {
        if (!await Dialogs.ConfirmAsync("Remove device", $"Remove {device.Name} from the list? Its history and telemetry are deleted; the audit log keeps what happened. This cannot be undone.",
                "Remove", Icons.Material.Filled.DeleteOutline))
        {
            return;
        }

        var result = await Decommission.RemoveAsync(device.Id, await Client.ActorAsync());
        Snackbar.Add(result.Succeeded ? $"{device.Name} was removed." : result.Error ?? "Could not remove the device.", result.Succeeded ? Severity.Success : Severity.Error);
        await grid.ReloadServerData();
    }

    public void Dispose() => subscription?.Dispose();
}
