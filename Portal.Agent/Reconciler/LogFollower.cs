using System.Collections.Concurrent;
using System.Threading.Channels;
using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// Follows a workload's container log only while the portal says someone watches it, sending lines in small chunks
/// (at most every 200 ms or <see cref="LogChunk.MaxLines"/> lines). Stopping, or losing the connection, ends the follow.
/// </summary>
public sealed partial class LogFollower(ILogger<LogFollower> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> follows = new(StringComparer.Ordinal);

    public void Start(IContainerRuntime runtime, string containerId, string workload, int tail, Func<LogChunk, Task> send)
    {
        Stop(workload);
        var cts = new CancellationTokenSource();
        follows[workload] = cts;
        _ = Task.Run(() => FollowAsync(runtime, containerId, workload, tail, send, cts.Token));
    }

    public void Stop(string workload)
    {
        if (follows.TryRemove(workload, out var cts))
        {
            cts.Cancel();
            cts.Dispose();
        }
    }

    public void StopAll()
    {
        foreach (var workload in follows.Keys)
        {
            Stop(workload);
        }
    }

    public void Dispose() => StopAll();

    private async Task FollowAsync(IContainerRuntime runtime, string containerId, string workload, int tail, Func<LogChunk, Task> send, CancellationToken ct)
    {
        var lines = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        var sending = SendAsync(lines.Reader, workload, send, ct);
        try
        {
            await foreach (var line in runtime.FollowLogsAsync(containerId, tail, ct))
            {
                lines.Writer.TryWrite(line);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFollowFailed(logger, workload, ex.Message);
        }
        finally
        {
            lines.Writer.TryComplete();
        }

        await sending;
    }

    /// <summary>Sends what has arrived, waiting up to 100 ms after a line for more so a burst goes as one chunk.</summary>
    private async Task SendAsync(ChannelReader<LogLine> reader, string workload, Func<LogChunk, Task> send, CancellationToken ct)
    {
        var buffer = new List<LogLine>();
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                await Task.Delay(100, CancellationToken.None);
                while (buffer.Count < LogChunk.MaxLines && reader.TryRead(out var line))
                {
                    buffer.Add(line);
                }

                if (ct.IsCancellationRequested)
                {
                    return;
                }

                await send(new LogChunk(workload, buffer.ToList()));
                buffer.Clear();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFollowFailed(logger, workload, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped following the log of {Workload}: {Error}")]
    private static partial void LogFollowFailed(ILogger logger, string workload, string error);
}
