namespace Portal.Shared.Devices;

/// <summary>
/// What a device is made of, reported by its agent on every connect. <see cref="DockerVersion"/> is null when no Docker
/// engine answers; <see cref="DockerProblem"/> then says why (no socket, permission denied, the engine's error).
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
    string? DockerProblem = null);
