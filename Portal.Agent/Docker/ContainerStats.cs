namespace Portal.Agent.Docker;

public sealed record ContainerStats(double CpuPercent, long MemoryBytes);
