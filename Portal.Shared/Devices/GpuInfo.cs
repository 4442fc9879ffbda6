namespace Portal.Shared.Devices;

/// <summary>One GPU as <c>nvidia-smi</c> reports it.</summary>
public sealed record GpuInfo(string Name, long MemoryBytes, string? DriverVersion);
