namespace Portal.Agent.Docker;

/// <summary>The labels on every container the agent creates; a container without <see cref="Agent"/> = this device is never touched.</summary>
public static class WorkloadLabels
{
    public const string Agent = "io.edgeportal.agent";
    public const string Workload = "io.edgeportal.workload";
    public const string Deployment = "io.edgeportal.deployment";
    public const string Revision = "io.edgeportal.revision";
    public const string SpecHash = "io.edgeportal.spec-hash";

    /// <summary>On a stack's containers: the stack (workload) and the service each runs.</summary>
    public const string Stack = "io.edgeportal.stack";
    public const string Service = "io.edgeportal.service";

    /// <summary>
    /// A stack service's container runs as workload <c>{stack}.{service}</c> (stack names are slugs without dots), so
    /// reading its logs or restarting it goes the way it goes for any container.
    /// </summary>
    public static string ServiceWorkload(string stack, string service) => $"{stack}.{service}";

    /// <summary>Container names carry the device so several agents can share one engine (tests, and a portal with a local agent).</summary>
    public static string ContainerName(string deviceId, string workload) =>
        $"portal-{workload}-{deviceId[..Math.Min(8, deviceId.Length)]}";
}
