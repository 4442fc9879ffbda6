using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Features.Audit;
using Portal.Components.Shared;
using Portal.Shared.Config;
using Portal.Shared.Deployments;

namespace Portal.Features.FleetConfig;

/// <summary>
/// The config rollouts table. While one is in progress it reads them again every two seconds (a rollout step changes
/// devices' states without telling pages); otherwise when a level's config changes (this page or another operator's,
/// or the rollout loop pausing or rolling one back) and when the page saves something (<see cref="RefreshAsync"/>).
/// </summary>
public sealed partial class ConfigRolloutsPanel : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource stop = new();
    private IReadOnlyList<ConfigRolloutDto>? rollouts;
    private bool polling;
    private bool disposed;
    private IDisposable? subscription;

    [Parameter]
    public bool CanChange { get; set; }

    [Inject]
    private ConfigRolloutService Rollouts { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private Portal.Common.Notifier<ConfigChanged> Changes { get; set; } = default!;

    protected override Task OnInitializedAsync()
    {
        subscription = Changes.Subscribe(_ => InvokeAsync(RefreshAsync));
        return RefreshAsync();
    }

    public async Task RefreshAsync()
    {
        if (disposed)
        {
            // A save finishing after the page closed: nothing to show it on.
            return;
        }

        try
        {
            rollouts = await Rollouts.ListAsync(10, stop.Token);
        }
        catch (Exception e) when (disposed && e is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        if (!polling && rollouts.Any(r => r.State == DeploymentState.InProgress))
        {
            polling = true;
            _ = PollAsync();
        }

        StateHasChanged();
    }

    public void Dispose()
    {
        disposed = true;
        subscription?.Dispose();
        stop.Cancel();
        stop.Dispose();
    }

    private async Task PollAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(Interval, Clock);
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var latest = await Rollouts.ListAsync(10, stop.Token);
                await InvokeAsync(() =>
                {
                    rollouts = latest;
                    StateHasChanged();
                });
                if (!latest.Any(r => r.State == DeploymentState.InProgress))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
        catch (ObjectDisposedException)
        {
            // The page closed.
        }
        finally
        {
            polling = false;
        }
    }

    private async Task ActAsync(ConfigRolloutDto rollout, string action)
    {
        var result = await Rollouts.ActAsync(rollout.Id, action, await Client.ActorAsync());
        Snackbar.Add(result.Succeeded ? $"{rollout.OwnerName}: {result.Value!.State}." : result.Error ?? "Not done.", result.Succeeded ? Severity.Success : Severity.Error);
        await RefreshAsync();
    }

    private async Task RollBackAsync(ConfigRolloutDto rollout)
    {
        var released = rollout.Devices.Count(d => d.ReleasedAt is not null);
        var message = $"The values of {LevelText(rollout)} from before this change ({rollout.Change}) are written back. "
            + $"The {released} device{(released == 1 ? "" : "s")} that received the change get the previous values again, and the containers that use them are recreated; "
            + "devices still waiting are not touched.";
        if (await Dialogs.ConfirmAsync("Roll back this config change?", message, "Roll back"))
        {
            await ActAsync(rollout, ConfigRolloutService.Rollback);
        }
    }

    private static string LevelText(ConfigRolloutDto r) => r.Level switch
    {
        ConfigLevel.Group => $"group {r.OwnerName}",
        ConfigLevel.Device => $"device {r.OwnerName}",
        _ => "the fleet",
    };

    private static string Progress(ConfigRolloutDto r)
    {
        var running = r.Devices.Count(d => d.State == DeviceRolloutState.Running);
        var waiting = r.Devices.Count(d => d.ReleasedAt is null);
        return $"{running} of {r.Devices.Count} running" + (waiting > 0 ? $", {waiting} waiting" : "");
    }

    private static Color ColorOf(DeploymentState state) => state switch
    {
        DeploymentState.InProgress => Color.Info,
        DeploymentState.Paused or DeploymentState.CompletedWithFailures => Color.Warning,
        DeploymentState.Completed => Color.Success,
        DeploymentState.Aborted or DeploymentState.Failed => Color.Error,
        _ => Color.Secondary,
    };
}
