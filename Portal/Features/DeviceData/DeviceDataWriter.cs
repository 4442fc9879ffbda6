using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Telemetry;
using Portal.Shared.DeviceData;

namespace Portal.Features.DeviceData;

/// <summary>New device data of one device, for live charts and last values.</summary>
public sealed record DeviceDataReceived(string DeviceId, IReadOnlyList<DeviceDataPoint> Points);

/// <summary>
/// Writes device data in batches, each point once (see <see cref="SequencedWriter{TItem}"/>), keeps each series' last
/// value, unit and flow in <c>DeviceDataSeries</c>, and rolls late minutes up again.
/// </summary>
public sealed class DeviceDataWriter(
    IDbContextFactory<PortalDbContext> dbFactory,
    Notifier<DeviceDataReceived> notifier,
    DeviceDataMaintenance maintenance,
    TimeProvider clock,
    ILogger<DeviceDataWriter> logger) : SequencedWriter<DeviceDataPoint>(dbFactory, logger)
{
    protected override string What => "device data points";

    /// <summary>Queues the batch and completes with the highest stored sequence once it is committed.</summary>
    public Task<long> WriteAsync(string deviceId, DeviceDataBatch batch, CancellationToken cancellationToken) =>
        WriteAsync(deviceId, batch.Points, batch.DroppedSinceLastBatch, cancellationToken);

    protected override long SequenceOf(DeviceDataPoint item) => item.Sequence;

    protected override async Task<long> HighestStoredAsync(PortalDbContext db, string deviceId, CancellationToken ct) =>
        Math.Max(
            await db.DeviceData.Where(t => t.DeviceId == deviceId).MaxAsync(t => (long?)t.Sequence, ct) ?? 0,
            // Raw rows past retention are gone; the series rows remember how far the device had come.
            await db.DeviceDataSeries.Where(t => t.DeviceId == deviceId).MaxAsync(t => (long?)t.LastSequence, ct) ?? 0);

    protected override async Task InsertAsync(PortalDbContext db, IReadOnlyDictionary<string, List<DeviceDataPoint>> fresh, CancellationToken ct)
    {
        await RowInserter<DeviceDataRecord>.For(db).InsertAsync(db, fresh.SelectMany(d => d.Value.Select(p => new DeviceDataRecord
        {
            DeviceId = d.Key,
            Sequence = p.Sequence,
            Series = p.Series,
            At = p.At,
            Value = p.Value,
        })), ct);
        foreach (var (deviceId, points) in fresh)
        {
            var known = await db.DeviceDataSeries.Where(s => s.DeviceId == deviceId).ToDictionaryAsync(s => s.Series, StringComparer.Ordinal, ct);
            foreach (var last in points.GroupBy(p => p.Series, StringComparer.Ordinal).Select(g => g.MaxBy(p => p.Sequence)!))
            {
                if (!known.TryGetValue(last.Series, out var row))
                {
                    row = new DeviceDataSeriesRow { DeviceId = deviceId, Series = last.Series, FirstAt = points.Where(p => p.Series == last.Series).Min(p => p.At) };
                    db.DeviceDataSeries.Add(row);
                }

                if (last.Sequence > row.LastSequence)
                {
                    (row.LastValue, row.LastAt, row.LastSequence, row.Unit, row.Flow) = (last.Value, last.At, last.Sequence, last.Unit, last.Flow);
                }
            }
        }

        await db.SaveChangesAsync(ct);
    }

    protected override void Written(string deviceId, List<DeviceDataPoint> items)
    {
        notifier.Publish(new DeviceDataReceived(deviceId, items));
        var earliest = items.Min(s => s.At);
        if (earliest < TelemetryRollup.MinuteOf(clock.GetUtcNow()))
        {
            maintenance.MarkLate(deviceId, earliest);
        }
    }
}
