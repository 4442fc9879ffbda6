using Portal.Shared.Models;
using Portal.Shared.Workloads;

namespace Portal.Shared.Hubs;

/// <summary>What the portal may call on a connected agent.</summary>
public interface IAgentClient
{
    /// <summary>The device was decommissioned: the connection closes and its secret stops working.</summary>
    Task Revoked(string reason);

    /// <summary>A new desired state; the agent stores it and reconciles. Older or equal revisions are ignored.</summary>
    Task ApplyDesiredState(DesiredState state);

    /// <summary>Reconcile now instead of at the next interval (an operator's "re-sync").</summary>
    Task Resync();

    /// <summary>Restarts one workload's container.</summary>
    Task RestartWorkload(string name);

    /// <summary>Someone watches this workload's log: send the last <paramref name="tail"/> lines, then follow it.</summary>
    Task StartLogs(string workload, int tail);

    /// <summary>Nobody watches any more: stop following.</summary>
    Task StopLogs(string workload);

    /// <summary>The last <paramref name="tail"/> lines of a workload's log, answered directly (a client result).</summary>
    Task<IReadOnlyList<LogLine>> GetLogs(string workload, int tail);

    /// <summary>
    /// Benchmarks a model version on the device with synthetic inputs, in the background (it may take minutes, and
    /// must not hold up other commands); the agent answers with <see cref="IAgentHub.ReportProfile"/>.
    /// </summary>
    Task ProfileModel(ProfileJob job);

    /// <summary>
    /// One remote action (restart the agent, reboot, prune images, pre-pull), run in the background; the agent answers
    /// with <see cref="IAgentHub.ReportAction"/>, after its restart or the host's reboot for those two.
    /// </summary>
    Task RunAction(DeviceActionJob job);
}
