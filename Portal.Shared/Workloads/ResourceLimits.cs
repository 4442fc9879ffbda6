namespace Portal.Shared.Workloads;

/// <summary>Limits for one container; zero means no limit. <see cref="Gpu"/> asks for every NVIDIA GPU on the device.</summary>
public sealed record ResourceLimits(double CpuCores = 0, long MemoryBytes = 0, bool Gpu = false);
