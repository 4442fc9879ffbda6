using Portal.Shared.Devices;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// What the portal knows of a device when it checks a deployment against it: whether it is online, its last inventory
/// (null before the first), what it should run (its desired state) its last workload report, and (when a workload references any) its effective config and secrets.
/// </summary>
public sealed record CheckedDevice(
    string Id,
    string Name,
    bool Online,
    DeviceInventory? Inventory,
    IReadOnlyList<WorkloadSpec> Workloads,
    IReadOnlyList<ModelWorkloadSpec> Models,
    IReadOnlyList<WorkloadStatus> Reported,
    Portal.Features.FleetConfig.DeviceConfig? Config = null);
