using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Common;
using Portal.Shared.Devices;

namespace Portal.Features.DeviceActions;

/// <summary>The device page's remote actions: ask for one through <see cref="RunActionDialog"/>, watch it finish.</summary>
public sealed partial class DeviceActionsPanel : IDisposable
{
    private IReadOnlyList<DeviceActionDto>? actions;
    private KeyedSubscription? subscription;

    [Parameter, EditorRequired]
    public DeviceDto Device { get; set; } = default!;

    [Inject]
    private DeviceActionService Actions { get; set; } = default!;

    [Inject]
    private Notifier<DeviceActionChanged> Changes { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;


    protected override async Task OnParametersSetAsync()
    {
        subscription?.Follow(Device.Id);
        await ReloadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            subscription = new KeyedSubscription(deviceId => Changes.Subscribe(deviceId, _ => InvokeAsync(async () =>
            {
                await ReloadAsync();
                StateHasChanged();
            })));
            subscription.Follow(Device.Id);
        }
    }

    private async Task AskAsync(DeviceActionKind kind)
    {
        var parameters = new DialogParameters<RunActionDialog> { { d => d.Device, Device }, { d => d.Kind, kind } };
        var dialog = await Dialogs.ShowAsync<RunActionDialog>(DeviceActionRules.Title(kind), parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: DeviceActionDto asked })
        {
            Snackbar.Add(asked.State switch
            {
                DeviceActionState.Failed => $"{DeviceActionRules.Title(kind)} failed: {asked.Message}",
                DeviceActionState.Queued => $"{DeviceActionRules.Title(kind)} is queued until {Device.Name} comes online.",
                _ => $"{DeviceActionRules.Title(kind)} was sent to {Device.Name}.",
            }, asked.State == DeviceActionState.Failed ? Severity.Error : Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task ReloadAsync() => actions = await Actions.ListAsync(Device.Id, 10, CancellationToken.None);

    public void Dispose() => subscription?.Dispose();
}
