namespace Portal.Shared.Devices;

/// <summary>
/// What a device is made of, reported by its agent on every connect. <see cref="DockerVersion"/> is null when no Docker
/// engine answers; <see cref="DockerProblem"/> then says why (no socket, permission denied, the engine's error).
/// <see cref="UpdateProblem"/> (agents from 0.5.0) says why this agent cannot be updated over the air (it was not started
/// by <c>portal-agent-launch</c>, updates are off in its settings); null when it can.
/// </summary>
public sealed record DeviceInventory(
    string HostName,
    string OperatingSystem,
    string OsVersion,
    string Architecture,
    string CpuModel,
    int CpuCores,
    long MemoryBytes,
    long DiskTotalBytes,
    long DiskFreeBytes,
    string AgentVersion,
    string? DockerVersion,
    string? OnnxRuntimeVersion,
    IReadOnlyList<string> ExecutionProviders,
    IReadOnlyList<GpuInfo> Gpus,
    string? DockerProblem = null,
    string? UpdateProblem = null);
