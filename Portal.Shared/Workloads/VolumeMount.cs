namespace Portal.Shared.Workloads;

/// <summary>A named Docker volume (created on first use) mounted into the container.</summary>
public sealed record VolumeMount(string Name, string ContainerPath, bool ReadOnly = false);
