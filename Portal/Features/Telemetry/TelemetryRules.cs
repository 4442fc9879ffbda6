using Portal.Shared.Telemetry;

namespace Portal.Features.Telemetry;

/// <summary>What the portal accepts from an agent. A batch with one bad sample is rejected whole, and says why.</summary>
public static class TelemetryRules
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <param name="maxAge">Older samples would be deleted by retention at once (and a device with its clock at 1970 is wrong).</param>
    public static string? Problem(TelemetryBatch? batch, DateTimeOffset now, TimeSpan? maxAge = null)
    {
        var oldest = now - (maxAge ?? TimeSpan.FromDays(7));
        if (batch?.Samples is null)
        {
            return "The batch is empty.";
        }

        if (batch.Samples.Count > TelemetryBatch.MaxSamples)
        {
            return $"A batch may carry at most {TelemetryBatch.MaxSamples} samples, not {batch.Samples.Count}.";
        }

        if (batch.DroppedSinceLastBatch < 0)
        {
            return "The dropped-sample count is negative.";
        }

        long previous = 0;
        foreach (var s in batch.Samples)
        {
            if (s is null || s.Sequence <= previous)
            {
                return "Samples must have positive sequence numbers in increasing order.";
            }

            previous = s.Sequence;
            if (s.At > now + MaxClockSkew)
            {
                return $"Sample {s.Sequence} is dated {s.At:u}, in the future: check the device's clock.";
            }

            if (s.At < oldest)
            {
                return $"Sample {s.Sequence} is dated {s.At:u}, older than telemetry is kept: check the device's clock.";
            }

            double[] ratios = [s.CpuPercent, s.GpuPercent ?? 0];
            double[] values = [s.LoadAverage1m, s.TemperatureCelsius ?? 0];
            long[] sizes = [s.MemoryUsedBytes, s.MemoryTotalBytes, s.DiskUsedBytes, s.DiskTotalBytes, s.NetworkReceivedBytes, s.NetworkSentBytes, s.GpuMemoryUsedBytes ?? 0];
            if (ratios.Any(r => !double.IsFinite(r) || r < 0 || r > 100.0001))
            {
                return $"Sample {s.Sequence} has a utilisation outside 0-100 %.";
            }

            if (values.Any(v => !double.IsFinite(v)) || s.LoadAverage1m < 0 || s.TemperatureCelsius is < -100 or > 250)
            {
                return $"Sample {s.Sequence} has a load average or temperature that is not a plausible number.";
            }

            if (sizes.Any(b => b < 0) || s.MemoryUsedBytes > s.MemoryTotalBytes || s.DiskUsedBytes > s.DiskTotalBytes)
            {
                return $"Sample {s.Sequence} has a negative size, or uses more than the total.";
            }
        }

        return null;
    }
}
