namespace Portal.Shared.Workloads;

/// <summary>A container port and the host port it is published on (ignored under host networking, where they are equal).</summary>
public sealed record PortMapping(int ContainerPort, int HostPort, string Protocol = "tcp");
