using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Configuration;

namespace Portal.Hosting;

/// <summary>
/// Not ready when the data directory's disk has less free space than <c>Portal:MinFreeDiskMb</c>: a full disk fails
/// every write (SQLite, artifacts, keys), so a load balancer should stop sending work before it is full.
/// </summary>
internal sealed class DataDiskHealthCheck(IOptions<PortalOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var portal = options.Value;
        if (portal.MinFreeDiskMb == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("check off (Portal:MinFreeDiskMb is 0)"));
        }

        var freeMb = new DriveInfo(portal.ResolvedDataDirectory).AvailableFreeSpace / (1024 * 1024);
        return Task.FromResult(freeMb < portal.MinFreeDiskMb
            ? HealthCheckResult.Unhealthy($"The data disk has {freeMb} MB free, below Portal:MinFreeDiskMb ({portal.MinFreeDiskMb} MB). Free space in the data directory.")
            : HealthCheckResult.Healthy($"{freeMb} MB free"));
    }
}
