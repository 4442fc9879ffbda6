namespace Portal.Shared.Devices;

/// <summary>One deployment that targets a group about to be deleted, and the devices (by name) that would lose its workload.</summary>
public sealed record GroupDeleteImpact(string DeploymentId, string DeploymentName, string Workload, IReadOnlyList<string> DevicesLosingIt);
