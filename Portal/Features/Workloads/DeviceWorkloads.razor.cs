using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Common;
using Portal.Components.Shared;
using Portal.Features.Deployments;
using Portal.Shared.Workloads;

namespace Portal.Features.Workloads.Views;

/// <summary>A device's workloads as it last reported them, live, with logs, restart and re-sync.</summary>
public sealed partial class DeviceWorkloads
{
    private Portal.Shared.Workloads.DeviceWorkloads? state;
    private string? logsOf;
    private bool busy;
    private KeyedSubscription? subscription;

    [Parameter, EditorRequired]
    public string DeviceId { get; set; } = "";

    [Inject]
    private DesiredStates DesiredStates { get; set; } = default!;

    [Inject]
    private WorkloadActions Actions { get; set; } = default!;

    [Inject]
    private Portal.Features.Audit.CircuitClient Client { get; set; } = default!;

    [Inject]
    private Notifier<WorkloadsReported> Reports { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private string Summary => state switch
    {
        null => "Loading…",
        { ReportedAt: null } => "What the device should run. It has not reported its workloads yet.",
        { } s when s.ReportedRevision < s.DesiredRevision =>
            $"Last report {Humanize.Ago(s.ReportedAt!.Value, DateTimeOffset.UtcNow)} (revision {s.ReportedRevision}); the device has not applied revision {s.DesiredRevision} yet.",
        { } s => $"As reported {Humanize.Ago(s.ReportedAt!.Value, DateTimeOffset.UtcNow)}; updates live.",
    };

    protected override async Task OnParametersSetAsync()
    {
        subscription?.Follow(DeviceId);
        state = await DesiredStates.WorkloadsAsync(DeviceId);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            subscription = new KeyedSubscription(deviceId => Reports.Subscribe(deviceId, _ => InvokeAsync(async () =>
            {
                state = await DesiredStates.WorkloadsAsync(DeviceId);
                StateHasChanged();
            })));
            subscription.Follow(DeviceId);
        }
    }

    private static string Uptime(WorkloadStatus workload)
    {
        if (workload.State is not (WorkloadState.Running or WorkloadState.Ready) || workload.StartedAt is not { } started)
        {
            return "–";
        }

        var span = DateTimeOffset.UtcNow - started;
        return span.TotalMinutes < 1 ? "under a minute"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalDays} d {span.Hours} h";
    }

    /// <summary>"v3": a model's status carries "{name} v{version}" where a container has its image.</summary>
    private static string ModelVersionText(WorkloadStatus workload) =>
        workload.Image.StartsWith(workload.Name + " ", StringComparison.Ordinal) ? workload.Image[(workload.Name.Length + 1)..] : workload.Image;

    /// <summary>"2 services" under a stack's name, with how many run once any does not.</summary>
    private static string StackText(WorkloadStatus stack) => stack.Services switch
    {
        null or [] => "stack",
        var services when services.All(s => s.State == WorkloadState.Running) || services.All(s => s.State == WorkloadState.Pending) =>
            $"stack of {services.Count} service{(services.Count == 1 ? "" : "s")}",
        var services => $"stack: {services.Count(s => s.State == WorkloadState.Running)} of {services.Count} services running",
    };

    /// <summary>What the log viewer shows for a workload name: a container's status, or a stack service's as a container's.</summary>
    private (WorkloadStatus? Status, string? Title) LogTarget(string workload)
    {
        if (state?.Workloads.FirstOrDefault(w => w.Name == workload && w.Kind == WorkloadKind.Container) is { } container)
        {
            return (container, null);
        }

        foreach (var stack in state?.Workloads.Where(w => w.Kind == WorkloadKind.Stack) ?? [])
        {
            if (stack.Services?.FirstOrDefault(s => StackServiceRows.ServiceWorkload(stack, s) == workload) is { } s)
            {
                return (new WorkloadStatus(workload, stack.DeploymentId, s.SpecHash, s.State, s.Reason, s.Image, s.ContainerId, stack.StartedAt, 0, null, null),
                    $"{s.Service} (stack {stack.Name})");
            }
        }

        return (null, null);
    }

    private async Task RestartAsync(string workload)
    {
        if (!await Dialogs.ConfirmAsync("Restart workload",
                $"Restart {workload}? Its container stops and starts again; it is unavailable for a moment.", "Restart", Icons.Material.Filled.RestartAlt))
        {
            return;
        }

        busy = true;
        var result = await Actions.RestartAsync(DeviceId, workload, await Client.ActorAsync(), CancellationToken.None);
        busy = false;
        Snackbar.Add(result.Succeeded ? $"Asked the device to restart {workload}." : result.Error ?? "Could not restart the workload.",
            result.Succeeded ? Severity.Success : Severity.Error);
    }

    private async Task ResyncAsync()
    {
        busy = true;
        var result = await Actions.ResyncAsync(DeviceId, await Client.ActorAsync(), CancellationToken.None);
        busy = false;
        Snackbar.Add(result.Succeeded ? "Sent the desired state again; the device reconciles now." : result.Error ?? "Could not re-sync the device.",
            result.Succeeded ? Severity.Success : Severity.Error);
    }

    public void Dispose() => subscription?.Dispose();
}
