using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Shared.Telemetry;

namespace Portal.Features.Telemetry;

/// <summary>New samples of one device, for live charts.</summary>
public sealed record TelemetryReceived(string DeviceId, IReadOnlyList<TelemetrySample> Samples);

/// <summary>Writes telemetry in batches, each sample once (see <see cref="SequencedWriter{TItem}"/>), and rolls late minutes up again.</summary>
public sealed class TelemetryWriter(
    IDbContextFactory<PortalDbContext> dbFactory,
    Notifier<TelemetryReceived> notifier,
    TelemetryMaintenance maintenance,
    TimeProvider clock,
    ILogger<TelemetryWriter> logger) : SequencedWriter<TelemetrySample>(dbFactory, logger)
{
    protected override string What => "telemetry samples";

    /// <summary>Queues the batch and completes with the highest stored sequence once it is committed.</summary>
    public Task<long> WriteAsync(string deviceId, TelemetryBatch batch, CancellationToken cancellationToken) =>
        WriteAsync(deviceId, batch.Samples, batch.DroppedSinceLastBatch, cancellationToken);

    protected override long SequenceOf(TelemetrySample item) => item.Sequence;

    protected override async Task<long> HighestStoredAsync(PortalDbContext db, string deviceId, CancellationToken ct) =>
        await db.Telemetry.Where(t => t.DeviceId == deviceId).MaxAsync(t => (long?)t.Sequence, ct) ?? 0;

    protected override Task InsertAsync(PortalDbContext db, IReadOnlyDictionary<string, List<TelemetrySample>> fresh, CancellationToken ct) =>
        RowInserter<TelemetryRecord>.For(db).InsertAsync(db, fresh.SelectMany(d => d.Value.Select(s => ToRecord(d.Key, s))), ct);

    protected override void Written(string deviceId, List<TelemetrySample> items)
    {
        notifier.Publish(new TelemetryReceived(deviceId, items));
        var earliest = items.Min(s => s.At);
        if (earliest < TelemetryRollup.MinuteOf(clock.GetUtcNow()))
        {
            maintenance.MarkLate(deviceId, earliest);
        }
    }

    internal static TelemetryRecord ToRecord(string deviceId, TelemetrySample s) => new()
    {
        DeviceId = deviceId,
        Sequence = s.Sequence,
        At = s.At,
        CpuPercent = s.CpuPercent,
        MemoryUsedBytes = s.MemoryUsedBytes,
        MemoryTotalBytes = s.MemoryTotalBytes,
        DiskUsedBytes = s.DiskUsedBytes,
        DiskTotalBytes = s.DiskTotalBytes,
        LoadAverage1m = s.LoadAverage1m,
        NetworkReceivedBytes = s.NetworkReceivedBytes,
        NetworkSentBytes = s.NetworkSentBytes,
        TemperatureCelsius = s.TemperatureCelsius,
        GpuPercent = s.GpuPercent,
        GpuMemoryUsedBytes = s.GpuMemoryUsedBytes,
    };
}
