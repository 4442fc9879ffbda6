using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Portal.Common;
using Portal.Features.Cluster;
using Portal.Shared.Hubs;
using Portal.Shared.Workloads;

namespace Portal.Features.Workloads;

/// <summary>Log lines a device sent to one of the instances.</summary>
public sealed record LogsReceived(string DeviceId, LogChunk Chunk);

/// <summary>
/// Live container logs for the pages. The first watcher of a device's workload asks the agent to follow the log; the
/// last one to leave asks it to stop, so agents send logs only while someone reads them. Each stream keeps its last
/// lines for viewers who join later. With several instances the page may be on another instance than the device:
/// chunks travel as <see cref="LogsReceived"/> news, and the request to start or stop goes through the backplane.
/// </summary>
public sealed partial class LogStreams : IDisposable
{
    private readonly IHubClients<IAgentClient> agents;
    private readonly Notifier<LogsReceived> chunks;
    private readonly ILogger<LogStreams> logger;
    private readonly IDisposable chunkSubscription;
    private readonly IDisposable presenceSubscription;

    public LogStreams(IHubClients<IAgentClient> agents, Notifier<LogsReceived> chunks, Notifier<PresenceChanged> presence, ILogger<LogStreams> logger)
    {
        this.agents = agents;
        this.chunks = chunks;
        this.logger = logger;
        chunkSubscription = chunks.Subscribe(received =>
        {
            DeliverHere(received.DeviceId, received.Chunk);
            return Task.CompletedTask;
        });
        presenceSubscription = presence.Subscribe(change => change.Online ? DeviceConnectedAsync(change.DeviceId) : Task.CompletedTask);
    }

    public const int Kept = 1000;
    public const int InitialTail = 200;

    private readonly ConcurrentDictionary<(string Device, string Workload), Stream> streams = new();

    private sealed class Stream
    {
        public readonly Lock Gate = new();
        public readonly LinkedList<LogLine> Recent = new();
        public readonly Dictionary<Guid, Func<IReadOnlyList<LogLine>, Task>> Watchers = [];
    }

    public bool IsWatched(string deviceId, string workload) => streams.ContainsKey((deviceId, workload));

    /// <summary>Starts watching; <paramref name="onLines"/> gets the lines kept so far, then every new chunk. Dispose to stop.</summary>
    public async Task<IDisposable> WatchAsync(string deviceId, string workload, Func<IReadOnlyList<LogLine>, Task> onLines)
    {
        var id = Guid.NewGuid();
        var stream = streams.GetOrAdd((deviceId, workload), _ => new Stream());
        bool first;
        List<LogLine> kept;
        lock (stream.Gate)
        {
            first = stream.Watchers.Count == 0;
            stream.Watchers[id] = onLines;
            kept = stream.Recent.ToList();
        }

        if (first)
        {
            await SendAsync(() => agents.User(deviceId).StartLogs(workload, InitialTail), deviceId);
        }
        else if (kept.Count > 0)
        {
            await onLines(kept);
        }

        return new Watch(() => Leave(deviceId, workload, id));
    }

    /// <summary>A chunk from an agent connected here, for the watchers of every instance.</summary>
    public void Receive(string deviceId, LogChunk chunk) => chunks.Publish(new LogsReceived(deviceId, chunk));

    public void Dispose()
    {
        chunkSubscription.Dispose();
        presenceSubscription.Dispose();
    }

    /// <summary>Hands a chunk to this instance's watchers; lines nobody here asked for are dropped.</summary>
    private void DeliverHere(string deviceId, LogChunk chunk)
    {
        if (!streams.TryGetValue((deviceId, chunk.Workload), out var stream))
        {
            return;
        }

        List<Func<IReadOnlyList<LogLine>, Task>> watchers;
        lock (stream.Gate)
        {
            foreach (var line in chunk.Lines)
            {
                stream.Recent.AddLast(line);
                if (stream.Recent.Count > Kept)
                {
                    stream.Recent.RemoveFirst();
                }
            }

            watchers = stream.Watchers.Values.ToList();
        }

        foreach (var watcher in watchers)
        {
            _ = Deliver(watcher, chunk.Lines);
        }
    }

    /// <summary>After a reconnect the agent has forgotten what it followed: ask again for every watched stream.</summary>
    public async Task DeviceConnectedAsync(string deviceId)
    {
        foreach (var (key, _) in streams.Where(s => s.Key.Device == deviceId))
        {
            await SendAsync(() => agents.User(deviceId).StartLogs(key.Workload, 0), deviceId);
        }
    }

    private void Leave(string deviceId, string workload, Guid id)
    {
        if (!streams.TryGetValue((deviceId, workload), out var stream))
        {
            return;
        }

        bool last;
        lock (stream.Gate)
        {
            stream.Watchers.Remove(id);
            last = stream.Watchers.Count == 0;
            if (last)
            {
                streams.TryRemove((deviceId, workload), out _);
            }
        }

        if (last)
        {
            _ = SendAsync(() => agents.User(deviceId).StopLogs(workload), deviceId);
        }
    }

    private async Task Deliver(Func<IReadOnlyList<LogLine>, Task> watcher, IReadOnlyList<LogLine> lines)
    {
        try
        {
            await watcher(lines);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogWatcherFailed(logger, ex.Message);
        }
    }

    private async Task SendAsync(Func<Task> send, string deviceId)
    {
        try
        {
            await send();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSendFailed(logger, deviceId, ex.Message);
        }
    }

    private sealed class Watch(Action leave) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                leave();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A log watcher failed: {Error}")]
    private static partial void LogWatcherFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask device {DeviceId} about its logs: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string deviceId, string error);
}
