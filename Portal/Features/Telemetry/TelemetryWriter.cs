using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Shared.Telemetry;

namespace Portal.Features.Telemetry;

/// <summary>New samples of one device, for live charts.</summary>
public sealed record TelemetryReceived(string DeviceId, IReadOnlyList<TelemetrySample> Samples);

/// <summary>
/// Writes telemetry in batches from a channel: one transaction for everything waiting, not one per sample. The hub
/// acknowledges a batch to its agent only after it is committed, so an acknowledged sample is never lost.
/// </summary>
public sealed partial class TelemetryWriter(
    IDbContextFactory<PortalDbContext> dbFactory,
    Notifier<TelemetryReceived> notifier,
    TelemetryMaintenance maintenance,
    TimeProvider clock,
    ILogger<TelemetryWriter> logger) : BackgroundService
{
    private const int MaxRequestsPerTransaction = 200;
    private readonly Channel<WriteRequest> queue = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(10_000) { SingleReader = true });

    // The highest stored sequence per device. Agents send in order, so anything at or below it is a resend.
    private readonly ConcurrentDictionary<string, long> stored = new(StringComparer.Ordinal);

    private sealed record WriteRequest(string DeviceId, TelemetryBatch Batch, TaskCompletionSource<long> Done);

    /// <summary>Queues the batch and completes with the highest stored sequence once it is committed.</summary>
    public async Task<long> WriteAsync(string deviceId, TelemetryBatch batch, CancellationToken cancellationToken)
    {
        var request = new WriteRequest(deviceId, batch, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(request, cancellationToken);
        return await request.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new List<WriteRequest>(MaxRequestsPerTransaction);
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (pending.Count < MaxRequestsPerTransaction && queue.Reader.TryRead(out var request))
            {
                pending.Add(request);
            }

            try
            {
                var written = await WriteBatchAsync(pending, stoppingToken);
                foreach (var request in pending)
                {
                    request.Done.TrySetResult(stored.GetValueOrDefault(request.DeviceId));
                }

                var currentMinute = TelemetryRollup.MinuteOf(clock.GetUtcNow());
                foreach (var (deviceId, samples) in written)
                {
                    notifier.Publish(new TelemetryReceived(deviceId, samples));
                    var earliest = samples.Min(s => s.At);
                    if (earliest < currentMinute)
                    {
                        maintenance.MarkLate(deviceId, earliest);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogWriteFailed(logger, pending.Count, ex);
                foreach (var request in pending)
                {
                    // Not acknowledged: the agent keeps the samples and sends them again.
                    request.Done.TrySetException(new InvalidOperationException("The portal could not store the telemetry; it will be resent."));
                }

                stored.Clear();
            }

            pending.Clear();
        }
    }

    private async Task<Dictionary<string, List<TelemetrySample>>> WriteBatchAsync(List<WriteRequest> requests, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fresh = new Dictionary<string, List<TelemetrySample>>(StringComparer.Ordinal);
        var highest = new Dictionary<string, long>(StringComparer.Ordinal);
        var records = new List<TelemetryRecord>();
        foreach (var request in requests)
        {
            if (!highest.TryGetValue(request.DeviceId, out var last))
            {
                last = stored.TryGetValue(request.DeviceId, out var known) ? known
                    : await db.Telemetry.Where(t => t.DeviceId == request.DeviceId).MaxAsync(t => (long?)t.Sequence, ct) ?? 0;
            }

            var samples = request.Batch.Samples.Where(s => s.Sequence > last).ToList();
            records.AddRange(samples.Select(s => ToRecord(request.DeviceId, s)));
            highest[request.DeviceId] = samples.Count > 0 ? samples[^1].Sequence : last;
            if (samples.Count > 0)
            {
                (fresh.TryGetValue(request.DeviceId, out var list) ? list : fresh[request.DeviceId] = []).AddRange(samples);
            }

            if (request.Batch.DroppedSinceLastBatch > 0)
            {
                LogDropped(logger, request.DeviceId, request.Batch.DroppedSinceLastBatch);
            }
        }

        if (records.Count > 0)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await TelemetryInserter.For(db).InsertAsync(db, records, ct);
            await transaction.CommitAsync(ct);
        }

        foreach (var (deviceId, sequence) in highest)
        {
            stored[deviceId] = sequence;
        }

        return fresh;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} telemetry batches; the agents will resend them")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} dropped {Dropped} samples while it could not reach the portal (its outbox was full)")]
    private static partial void LogDropped(ILogger logger, string deviceId, long dropped);
}
