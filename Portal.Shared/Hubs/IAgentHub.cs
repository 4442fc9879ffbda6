using Portal.Shared.DeviceData;
using Portal.Shared.Devices;
using Portal.Shared.Models;
using Portal.Shared.Telemetry;
using Portal.Shared.Workloads;

namespace Portal.Shared.Hubs;

/// <summary>What an agent may call on the portal's hub (<c>/hubs/agent</c>). The portal knows the caller from its device secret.</summary>
public interface IAgentHub
{
    /// <summary>Sent after every connect: what the device is made of.</summary>
    Task ReportInventory(DeviceInventory inventory);

    /// <summary>Sent every <paramref name="intervalSeconds"/>; a device that misses two and 20 s more is Offline.</summary>
    Task Heartbeat(int intervalSeconds);

    /// <summary>
    /// Stores the batch and returns the highest sequence the portal now holds for this device: the agent may forget
    /// every sample up to it. Samples already stored are ignored, so resending is always safe.
    /// </summary>
    Task<long> SendTelemetry(TelemetryBatch batch);

    /// <summary>
    /// Stores device data (values a data flow sends to the portal) and returns the highest sequence the portal now holds
    /// for this device; like telemetry, resending is always safe.
    /// </summary>
    Task<long> SendDeviceData(DeviceDataBatch batch);

    /// <summary>The device's current desired state, asked for after every connect (pushes may have been missed).</summary>
    Task<DesiredState> GetDesiredState();

    /// <summary>Per-workload status after a reconcile, and whenever a workload changes.</summary>
    Task ReportWorkloads(WorkloadReport report);

    /// <summary>Sent with each telemetry interval while the device serves models: requests, errors, latency percentiles.</summary>
    Task ReportInferenceMetrics(InferenceMetricsReport report);

    /// <summary>The outcome of a <see cref="IAgentClient.ProfileModel"/> job.</summary>
    Task ReportProfile(ProfileReport report);

    /// <summary>
    /// The portal's public key for agent releases, for an agent enrolled before it was handed out at enrollment: the
    /// agent asks once, over its authenticated connection, and pins it.
    /// </summary>
    Task<string> GetReleaseKey();

    /// <summary>Where a <see cref="IAgentClient.RunAction"/> action stands; only the device's own actions are taken.</summary>
    Task ReportAction(DeviceActionReport report);

    /// <summary>Lines of a log someone is watching (see <see cref="IAgentClient.StartLogs"/>).</summary>
    Task SendLogs(LogChunk chunk);
}
