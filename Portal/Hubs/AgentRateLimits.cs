using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Portal.Configuration;

namespace Portal.Hubs;

/// <summary>
/// Per-device budgets on the agent hub (<c>Portal:Security:AgentLimits</c>): hub calls, and telemetry samples stored.
/// One bucket pair per enrolled device that has called, kept across reconnects so a reconnect buys no fresh burst.
/// </summary>
public sealed class AgentRateLimits(IOptions<PortalOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, TokenBucket> calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenBucket> samples = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenBucket> points = new(StringComparer.Ordinal);

    private AgentLimitOptions Limits => options.Value.Security.AgentLimits;

    /// <summary>True when the device may make one more hub call now.</summary>
    public bool TryCall(string deviceId)
    {
        var now = clock.GetUtcNow();
        var bucket = calls.GetOrAdd(deviceId, _ => new TokenBucket(Limits.CallBurst, Limits.CallsPerSecond, now));
        return bucket.Take(1, now) == 1;
    }

    /// <summary>How many of <paramref name="wanted"/> telemetry samples the device may store now (the rest wait on the device).</summary>
    public int TakeSamples(string deviceId, int wanted)
    {
        var now = clock.GetUtcNow();
        var perMinute = Limits.TelemetrySamplesPerMinute;
        var bucket = samples.GetOrAdd(deviceId, _ => new TokenBucket(perMinute, perMinute / 60.0, now));
        return bucket.Take(wanted, now);
    }

    /// <summary>How many of <paramref name="wanted"/> device data points the device may store now (the rest wait on the device).</summary>
    public int TakePoints(string deviceId, int wanted)
    {
        var now = clock.GetUtcNow();
        var perMinute = Limits.DeviceDataPointsPerMinute;
        var bucket = points.GetOrAdd(deviceId, _ => new TokenBucket(perMinute, perMinute / 60.0, now));
        return bucket.Take(wanted, now);
    }
}
