using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Portal.Data;

/// <summary>
/// Stores what agents send with per-device sequence numbers (telemetry, device data), in batches from a channel: one
/// transaction for everything waiting, not one per item. The hub acknowledges a batch to its agent only after it is
/// committed, so an acknowledged item is never lost; items at or below the highest stored sequence are resends and
/// are skipped, so each is stored exactly once.
/// </summary>
public abstract partial class SequencedWriter<TItem>(IDbContextFactory<PortalDbContext> dbFactory, ILogger logger) : BackgroundService
{
    private const int MaxRequestsPerTransaction = 200;
    private readonly Channel<WriteRequest> queue = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(10_000) { SingleReader = true });

    // The highest stored sequence per device. Agents send in order, so anything at or below it is a resend.
    private readonly ConcurrentDictionary<string, long> stored = new(StringComparer.Ordinal);

    private sealed record WriteRequest(string DeviceId, IReadOnlyList<TItem> Items, long Dropped, TaskCompletionSource<long> Done);

    /// <summary>What is stored, for log lines ("telemetry samples").</summary>
    protected abstract string What { get; }

    protected abstract long SequenceOf(TItem item);

    /// <summary>The highest sequence stored for the device (0 for none).</summary>
    protected abstract Task<long> HighestStoredAsync(PortalDbContext db, string deviceId, CancellationToken ct);

    /// <summary>Adds the new items, inside the writer's transaction (the writer commits).</summary>
    protected abstract Task InsertAsync(PortalDbContext db, IReadOnlyDictionary<string, List<TItem>> fresh, CancellationToken ct);

    /// <summary>After the commit: tell whoever follows the device.</summary>
    protected abstract void Written(string deviceId, List<TItem> items);

    /// <summary>Queues the items and completes with the highest stored sequence once they are committed.</summary>
    protected async Task<long> WriteAsync(string deviceId, IReadOnlyList<TItem> items, long dropped, CancellationToken cancellationToken)
    {
        var request = new WriteRequest(deviceId, items, dropped, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
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

                foreach (var (deviceId, items) in written)
                {
                    Written(deviceId, items);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogWriteFailed(logger, pending.Count, What, ex);
                foreach (var request in pending)
                {
                    // Not acknowledged: the agent keeps the items and sends them again.
                    request.Done.TrySetException(new InvalidOperationException($"The portal could not store the {What}; they will be resent."));
                }

                stored.Clear();
            }

            pending.Clear();
        }
    }

    private async Task<Dictionary<string, List<TItem>>> WriteBatchAsync(List<WriteRequest> requests, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fresh = new Dictionary<string, List<TItem>>(StringComparer.Ordinal);
        var highest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (!highest.TryGetValue(request.DeviceId, out var last))
            {
                last = stored.TryGetValue(request.DeviceId, out var known) ? known : await HighestStoredAsync(db, request.DeviceId, ct);
            }

            var items = request.Items.Where(s => SequenceOf(s) > last).ToList();
            highest[request.DeviceId] = items.Count > 0 ? SequenceOf(items[^1]) : last;
            if (items.Count > 0)
            {
                (fresh.TryGetValue(request.DeviceId, out var list) ? list : fresh[request.DeviceId] = []).AddRange(items);
            }

            if (request.Dropped > 0)
            {
                LogDropped(logger, request.DeviceId, request.Dropped, What);
            }
        }

        if (fresh.Count > 0)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await InsertAsync(db, fresh, ct);
            await transaction.CommitAsync(ct);
        }

        foreach (var (deviceId, sequence) in highest)
        {
            stored[deviceId] = sequence;
        }

        return fresh;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} batches of {What}; the agents will resend them")]
    private static partial void LogWriteFailed(ILogger logger, int count, string what, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} dropped {Dropped} {What} while it could not reach the portal (its outbox was full)")]
    private static partial void LogDropped(ILogger logger, string deviceId, long dropped, string what);
}
