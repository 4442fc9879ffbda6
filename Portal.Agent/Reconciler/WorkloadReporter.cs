using Portal.Shared.Hubs;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// Tells the portal how every workload of every kind stands, in one report, one at a time and in order. Each kind hands in
/// its newest statuses; the report carries the newest of all kinds. While the portal is away nothing is sent, and the
/// newest report goes once the agent is connected again (<see cref="ConnectedAsync"/>).
/// </summary>
public sealed partial class WorkloadReporter(TimeProvider clock, ILogger<WorkloadReporter> logger) : IDisposable
{
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly SortedDictionary<WorkloadKind, IReadOnlyList<WorkloadStatus>> byKind = new();
    private IAgentHub? portal;

    /// <summary>The newest report, sent again after every connect.</summary>
    public WorkloadReport? Last { get; private set; }

    /// <summary>The newest statuses <paramref name="kind"/> reported, or none yet.</summary>
    public IReadOnlyList<WorkloadStatus> Current(WorkloadKind kind)
    {
        lock (byKind)
        {
            return byKind.GetValueOrDefault(kind) ?? [];
        }
    }

    /// <summary>
    /// Replaces <paramref name="kind"/>'s statuses and sends the whole report when connected; with
    /// <paramref name="onlyWhenChanged"/>, nothing is sent when they are the same as before.
    /// </summary>
    public async Task ReportAsync(WorkloadKind kind, long revision, IReadOnlyList<WorkloadStatus> statuses, bool onlyWhenChanged = false)
    {
        await sending.WaitAsync();
        try
        {
            lock (byKind)
            {
                if (onlyWhenChanged && byKind.TryGetValue(kind, out var before) && before.SequenceEqual(statuses))
                {
                    return;
                }

                byKind[kind] = statuses;
                Last = new WorkloadReport(revision, [.. byKind.Values.SelectMany(s => s)], clock.GetUtcNow());
            }

            await SendAsync(Last);
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>The agent is connected (again): reports go to <paramref name="hub"/> from now on, the newest one at once.</summary>
    public async Task ConnectedAsync(IAgentHub hub)
    {
        await sending.WaitAsync();
        try
        {
            portal = hub;
            if (Last is { } last)
            {
                await SendAsync(last);
            }
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>The connection is gone: reports wait for the next connect.</summary>
    public void Disconnected() => portal = null;

    public void Dispose() => sending.Dispose();

    private async Task SendAsync(WorkloadReport report)
    {
        if (portal is not { } hub)
        {
            return;
        }

        try
        {
            await hub.ReportWorkloads(report);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The connection dropped; the report goes again after the next connect.
            LogReportFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Workload report not delivered, will resend after reconnecting: {Error}")]
    private static partial void LogReportFailed(ILogger logger, string error);
}
