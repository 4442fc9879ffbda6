namespace Portal.Shared.Workloads;

/// <summary>How one service of a stack stands on the device (its container's state, and its health when it has a check).</summary>
public sealed record ServiceStatus(
    string Service,
    WorkloadState State,
    string? Reason,
    string Image,
    string? ContainerId,
    string SpecHash,
    string? Health = null);
