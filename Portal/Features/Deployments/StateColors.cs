using MudBlazor;
using Portal.Shared.Deployments;
using Portal.Shared.Models;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>One color per state, the same on every page.</summary>
public static class StateColors
{
    public static Color Of(DeploymentState state) => state switch
    {
        DeploymentState.InProgress => Color.Info,
        DeploymentState.Paused => Color.Warning,
        DeploymentState.Completed => Color.Success,
        DeploymentState.CompletedWithFailures => Color.Warning,
        DeploymentState.Aborted or DeploymentState.Failed => Color.Error,
        _ => Color.Secondary,
    };

    public static Color Of(DeviceRolloutState state) => state switch
    {
        DeviceRolloutState.Pulling or DeviceRolloutState.Starting or DeviceRolloutState.Pending => Color.Info,
        DeviceRolloutState.Running => Color.Success,
        DeviceRolloutState.Failed => Color.Error,
        DeviceRolloutState.Skipped => Color.Warning,
        DeviceRolloutState.RolledBack or DeviceRolloutState.Superseded => Color.Secondary,
        _ => Color.Default,
    };

    public static Color Of(WorkloadState state) => state switch
    {
        WorkloadState.Pulling or WorkloadState.Starting or WorkloadState.Pending => Color.Info,
        WorkloadState.Downloading or WorkloadState.Verifying or WorkloadState.Loading => Color.Info,
        WorkloadState.Running or WorkloadState.Ready => Color.Success,
        WorkloadState.Failed => Color.Error,
        WorkloadState.Stopped => Color.Warning,
        _ => Color.Default,
    };

    public static Color Of(ModelStage stage) => stage switch
    {
        ModelStage.Staging => Color.Info,
        ModelStage.Production => Color.Success,
        ModelStage.Archived => Color.Secondary,
        _ => Color.Default,
    };

    public static Color Of(ProfileState state) => state switch
    {
        ProfileState.Running => Color.Info,
        ProfileState.Done => Color.Success,
        _ => Color.Error,
    };

    /// <summary>The progress bar's colour: green when all went well, amber with some failures, red when nothing runs.</summary>
    public static Color Bar(DeploymentState state, DeploymentProgress p) => state switch
    {
        DeploymentState.Failed or DeploymentState.Aborted or DeploymentState.RolledBack => Color.Error,
        DeploymentState.Superseded => Color.Secondary,
        _ when p.Failed > 0 => Color.Warning,
        _ => Color.Success,
    };

    /// <summary>"3/5 running, 1 failed".</summary>
    public static string Summary(DeploymentProgress p)
    {
        var text = $"{p.Running}/{p.Total} running";
        if (p.Failed > 0)
        {
            text += $", {p.Failed} failed";
        }

        if (p.Superseded > 0)
        {
            text += $", {p.Superseded} superseded";
        }

        if (p.Skipped > 0)
        {
            text += $", {p.Skipped} skipped";
        }

        if (p.InFlight > 0)
        {
            text += $", {p.InFlight} in progress";
        }

        return p.Waiting > 0 ? text + $", {p.Waiting} waiting" : text;
    }

    public static string Describe(RolloutStrategy s) => s.Kind == RolloutKind.AllAtOnce
        ? $"All at once (a device that is not Running within {s.DeviceTimeoutSeconds} s counts as failed)"
        : $"Rolling, {s.BatchSize} device{(s.BatchSize == 1 ? "" : "s")} at a time; " +
          $"{(s.OnFailure == FailureAction.Pause ? "pause" : "roll back")} when more than {s.FailureThresholdPercent:0.#}% fail " +
          $"(once at least {s.MinDevicesTried} tried); per-device timeout {s.DeviceTimeoutSeconds} s";
}
