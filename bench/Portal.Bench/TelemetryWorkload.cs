using Portal.Shared.Telemetry;

namespace Portal.Bench;

/// <summary>
/// The rows both sides of the telemetry benchmark write: many devices, each sending batches of samples in sequence
/// order, with values an edge box reports (a few with a GPU, network counters that only grow, a sample every 5 s).
/// </summary>
internal sealed class TelemetryWorkload
{
    public TelemetryWorkload(int devices, int batchesPerDevice, int samplesPerBatch)
    {
        DeviceIds = Enumerable.Range(0, devices).Select(i => $"bench-{i:D5}").ToArray();
        var random = new Random(42);
        var start = DateTimeOffset.UtcNow.AddSeconds(-5.0 * batchesPerDevice * samplesPerBatch);
        Batches = new TelemetryBatch[devices][];
        for (var d = 0; d < devices; d++)
        {
            var hasGpu = d % 10 == 0;
            var memoryTotal = (d % 3 + 1) * 4L * 1024 * 1024 * 1024;
            var diskTotal = 64L * 1024 * 1024 * 1024;
            long received = random.NextInt64(1_000_000_000), sent = random.NextInt64(1_000_000_000);
            var batches = new TelemetryBatch[batchesPerDevice];
            for (var b = 0; b < batchesPerDevice; b++)
            {
                var samples = new TelemetrySample[samplesPerBatch];
                for (var s = 0; s < samplesPerBatch; s++)
                {
                    var sequence = (long)b * samplesPerBatch + s + 1;
                    received += random.Next(10_000, 2_000_000);
                    sent += random.Next(5_000, 500_000);
                    samples[s] = new TelemetrySample(
                        sequence,
                        start.AddSeconds(5 * sequence + d % 5),
                        Math.Round(random.NextDouble() * 100, 1),
                        (long)(memoryTotal * (0.3 + random.NextDouble() * 0.5)),
                        memoryTotal,
                        diskTotal / 2 + random.NextInt64(1_000_000_000),
                        diskTotal,
                        Math.Round(random.NextDouble() * 4, 2),
                        received,
                        sent,
                        Math.Round(40 + random.NextDouble() * 30, 1),
                        hasGpu ? Math.Round(random.NextDouble() * 100, 1) : null,
                        hasGpu ? random.NextInt64(8L * 1024 * 1024 * 1024) : null);
                }

                batches[b] = new TelemetryBatch(samples, 0);
            }

            Batches[d] = batches;
        }
    }

    public string[] DeviceIds { get; }

    /// <summary>Per device, its batches in the order it sends them.</summary>
    public TelemetryBatch[][] Batches { get; }

    public long Rows => Batches.Sum(d => d.Sum(b => (long)b.Samples.Count));

    /// <summary>Every row in the order many devices' batches interleave on the wire: batch 1 of each device, then batch 2...</summary>
    public IEnumerable<(string DeviceId, TelemetrySample Sample)> Interleaved()
    {
        for (var b = 0; b < Batches[0].Length; b++)
        {
            for (var d = 0; d < DeviceIds.Length; d++)
            {
                foreach (var sample in Batches[d][b].Samples)
                {
                    yield return (DeviceIds[d], sample);
                }
            }
        }
    }
}
