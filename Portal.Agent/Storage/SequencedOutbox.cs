using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;

namespace Portal.Agent.Storage;

/// <summary>
/// Items not yet acknowledged by the portal, kept on disk so neither an outage nor an agent restart loses them.
/// Bounded: when full, the oldest items are dropped (a tenth of the capacity at once, so a full outbox is not rewritten
/// for every new item) and counted, and the count is reported with the next batch. Sequence numbers survive restarts, so
/// the portal can tell a resend from a new item. A damaged <c>state.json</c> is rebuilt from the item log, and items lost
/// to damage are counted as dropped, so the portal hears of them.
/// </summary>
public sealed class SequencedOutbox<T>
    where T : class
{
    private readonly object gate = new();
    private readonly string itemsPath;
    private readonly string statePath;
    private readonly int capacity;
    private readonly Func<T, long> sequenceOf;
    private readonly Func<T, long, T> numbered;
    private readonly string what;
    private readonly ILogger logger;
    private readonly List<T> pending = [];
    private long nextSequence = 1;
    private long dropped;

    // What the last Next() handed out: its highest sequence and the dropped count it reported.
    private long lastSent;
    private long droppedSent;

    // Everything up to here is acknowledged; the log may still hold such lines until it is compacted.
    private long acknowledgedThrough;
    private int linesInFile;

    /// <param name="directory">Where <c>samples.jsonl</c> and <c>state.json</c> live (created if missing).</param>
    /// <param name="what">What the items are, for log lines ("telemetry samples").</param>
    public SequencedOutbox(string directory, int capacity, Func<T, long> sequenceOf, Func<T, long, T> numbered, string what, ILogger? logger = null)
    {
        directory = Path.GetFullPath(directory);
        DurableFile.CreateDirectory(directory);
        itemsPath = Path.Combine(directory, "samples.jsonl");
        statePath = Path.Combine(directory, "state.json");
        this.capacity = Math.Max(1, capacity);
        this.sequenceOf = sequenceOf;
        this.numbered = numbered;
        this.what = what;
        this.logger = logger ?? NullLogger.Instance;
        Load();
    }

    private sealed record State(long NextSequence, long Dropped, long AcknowledgedThrough = 0);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    /// <summary>Stamps the item with the next sequence number and keeps it until acknowledged.</summary>
    public T Append(T unnumbered)
    {
        lock (gate)
        {
            var item = numbered(unnumbered, nextSequence++);
            pending.Add(item);
            if (pending.Count > capacity)
            {
                var drop = Math.Min(pending.Count - 1, Math.Max(pending.Count - capacity, capacity / 10));
                pending.RemoveRange(0, drop);
                dropped += drop;
                Rewrite();
            }
            else
            {
                // The log itself carries the sequence (state.json only matters once the log is emptied): no state write here.
                File.AppendAllText(itemsPath, JsonSerializer.Serialize(item, JsonSerializerOptions.Web) + "\n");
                linesInFile++;
            }

            return item;
        }
    }

    /// <summary>The oldest unacknowledged items, in order, with the count dropped since the last acknowledgement; null when there is nothing to say.</summary>
    public (IReadOnlyList<T> Items, long Dropped)? Next(int max)
    {
        lock (gate)
        {
            if (pending.Count == 0 && dropped == 0)
            {
                return null;
            }

            var items = pending.Take(max).ToList();
            (lastSent, droppedSent) = (items.Count > 0 ? sequenceOf(items[^1]) : lastSent, dropped);
            return (items, dropped);
        }
    }

    /// <summary>
    /// Forgets every item up to <paramref name="sequence"/>: the portal has stored them. A sequence this outbox has not
    /// given out yet means its numbering started again (its state was lost) and the portal took the new items for
    /// resends: they are numbered again after the portal's and sent once more.
    /// </summary>
    public void Acknowledge(long sequence)
    {
        lock (gate)
        {
            // Beyond anything handed out: items appended while the batch was on its way must not count as stored.
            if (sequence >= nextSequence || (lastSent > 0 && sequence > lastSent))
            {
                Renumber(sequence + 1);
                return;
            }

            var removed = pending.RemoveAll(s => sequenceOf(s) <= sequence);
            if (removed == 0 && droppedSent == 0)
            {
                return;
            }

            // Only the drops the portal was told of; any counted since go with the next batch.
            dropped = Math.Max(0, dropped - droppedSent);
            droppedSent = 0;
            acknowledgedThrough = Math.Max(acknowledgedThrough, sequence);
            if (linesInFile <= 2_000 || linesInFile - pending.Count > linesInFile / 2)
            {
                // A small log is rewritten at once; a large one only once most of it is acknowledged: rewriting it for every
                // batch would wear flash out while a backlog drains. Until then state.json says how far the portal has it.
                Rewrite();
            }
            else
            {
                WriteState();
            }
        }
    }

    private void Load()
    {
        var damagedLines = 0;
        if (File.Exists(itemsPath))
        {
            foreach (var line in File.ReadLines(itemsPath).Where(l => l.Length > 0))
            {
                try
                {
                    pending.Add(JsonSerializer.Deserialize<T>(line, JsonSerializerOptions.Web) ?? throw new JsonException("null"));
                    linesInFile++;
                }
                catch (JsonException)
                {
                    // A line cut short by a crash or power loss: everything else is intact; this item is lost.
                    damagedLines++;
                }
            }
        }

        var state = DurableFile.ReadJson<State>(statePath, JsonSerializerOptions.Web, s => s.NextSequence >= 1 && s.Dropped >= 0);
        if (state.Value is { } saved)
        {
            nextSequence = saved.NextSequence;
            dropped = saved.Dropped;
            acknowledgedThrough = saved.AcknowledgedThrough;
            // Lines the portal acknowledged before the log was last compacted.
            pending.RemoveAll(s => sequenceOf(s) <= acknowledgedThrough);
        }

        if (pending.Count > 0)
        {
            nextSequence = Math.Max(nextSequence, pending.Max(sequenceOf) + 1);
        }

        if (state.Outcome == DurableReadOutcome.Damaged)
        {
            OutboxLog.StateRebuilt(logger, statePath, state.Problem!, pending.Count, nextSequence);
        }
        else if (state.Outcome == DurableReadOutcome.ReadFromBackup)
        {
            OutboxLog.StateFromBackup(logger, statePath, state.Problem!);
        }

        if (damagedLines > 0)
        {
            dropped += damagedLines;
            OutboxLog.LinesLost(logger, damagedLines, what, itemsPath);
        }

        if (damagedLines > 0 || state.Outcome is DurableReadOutcome.Damaged or DurableReadOutcome.ReadFromBackup)
        {
            Rewrite();
        }
    }

    private void Renumber(long first)
    {
        OutboxLog.Renumbered(logger, what, first - 1, nextSequence - 1, pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            pending[i] = numbered(pending[i], first + i);
        }

        nextSequence = first + pending.Count;
        // The batch that told us carried the dropped count, and the portal took it.
        dropped = Math.Max(0, dropped - droppedSent);
        (droppedSent, lastSent, acknowledgedThrough) = (0, 0, first - 1);
        Rewrite();
    }

    private void Rewrite()
    {
        DurableFile.WriteLines(itemsPath, pending.Select(s => JsonSerializer.Serialize(s, JsonSerializerOptions.Web)));
        linesInFile = pending.Count;
        WriteState();
    }

    private void WriteState() =>
        DurableFile.WriteJson(statePath, new State(nextSequence, dropped, acknowledgedThrough), JsonSerializerOptions.Web);
}

internal static partial class OutboxLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was damaged ({Problem}); rebuilt it from the item log ({Count} kept, next sequence {Next}). " +
        "The count of items dropped before the damage, not yet reported to the portal, is lost.")]
    public static partial void StateRebuilt(ILogger logger, string path, string problem, int count, long next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was damaged ({Problem}); restored it from its last good copy")]
    public static partial void StateFromBackup(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} damaged {What} in {Path} could not be read; they are lost and reported to the portal as dropped")]
    public static partial void LinesLost(ILogger logger, int count, string what, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The portal already holds {What} up to sequence {Portal}, beyond this outbox's {Local}: its numbering started again " +
        "(its state was lost). {Count} waiting items are numbered again after the portal's and sent once more.")]
    public static partial void Renumbered(ILogger logger, string what, long portal, long local, int count);
}
