using Microsoft.Extensions.Options;
using Portal.Configuration;

namespace Portal.Features.Cluster;

/// <summary>Who this portal instance is among the instances sharing a database.</summary>
public sealed class PortalInstanceIdentity(IOptions<PortalOptions> options)
{
    public string Id { get; } = options.Value.Cluster.InstanceId is { Length: > 0 } configured
        ? configured
        : $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}".ToLowerInvariant();

    public string Host { get; } = $"{Environment.MachineName} (pid {Environment.ProcessId})";
}
