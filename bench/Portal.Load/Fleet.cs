using System.Diagnostics;
using Portal.Agent.Enrollment;
using Portal.Shared.Workloads;

namespace Portal.Load;

/// <summary>The simulated agents of one run against one server, with their shared counters.</summary>
internal sealed class Fleet(Uri server, int intervalSeconds) : IAsyncDisposable
{
    private readonly List<SimAgent> agents = [];
    private readonly List<Task> running = [];
    private readonly CancellationTokenSource stop = new();
    private int online;
    private long appliedRevision = long.MaxValue;
    private int appliedCount;
    private long lastAppliedAt;

    internal long TelemetrySent;
    internal long Reconnects;
    internal long GaveUp;
    internal long Refused;
    internal long ConnectFailures;
    internal long SyncFailures;
    internal long ReportFailures;

    public int IntervalSeconds { get; } = intervalSeconds;

    public LatencyRecorder Telemetry { get; } = new();

    public int Count => agents.Count;

    public int Online => Volatile.Read(ref online);

    public IReadOnlyList<SimAgent> Agents => agents;

    /// <summary>Starts agents, keeping at most <paramref name="pending"/> connects in flight, and waits until all are online.</summary>
    public async Task AddAsync(IReadOnlyList<AgentCredentials> credentials, int pending, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var target = agents.Count + credentials.Count;
        foreach (var c in credentials)
        {
            while (agents.Count - Online >= pending)
            {
                await Task.Delay(5);
                ThrowIfLate(clock, timeout, target);
            }

            var agent = new SimAgent(server, c, agents.Count, this);
            agents.Add(agent);
            running.Add(Task.Run(() => agent.RunAsync(stop.Token)));
        }

        await WaitOnlineAsync(target, clock, timeout);
    }

    public async Task WaitOnlineAsync(int target, Stopwatch clock, TimeSpan timeout)
    {
        while (Online < target)
        {
            await Task.Delay(20);
            ThrowIfLate(clock, timeout, target);
        }
    }

    /// <summary>From now on, counts the agents that receive a desired state at least <paramref name="revision"/> (0: any newer than now).</summary>
    public void ExpectRevision(long revision)
    {
        Interlocked.Exchange(ref appliedCount, 0);
        Interlocked.Exchange(ref lastAppliedAt, 0);
        Interlocked.Exchange(ref appliedRevision, revision);
    }

    public (int Count, long LastAt) AppliedSoFar => (Volatile.Read(ref appliedCount), Interlocked.Read(ref lastAppliedAt));

    internal void Applied(SimAgent agent, DesiredState state)
    {
        if (state.Revision >= Interlocked.Read(ref appliedRevision))
        {
            Interlocked.Increment(ref appliedCount);
            var at = agent.LastApply.At;
            for (var seen = Interlocked.Read(ref lastAppliedAt); at > seen; seen = Interlocked.Read(ref lastAppliedAt))
            {
                if (Interlocked.CompareExchange(ref lastAppliedAt, at, seen) == seen)
                {
                    break;
                }
            }
        }
    }

    internal void OnlineChanged(int delta) => Interlocked.Add(ref online, delta);

    public string Counters() =>
        $"reconnects {Reconnects}, gave up {GaveUp}, refused {Refused}, connect failures {ConnectFailures}, sync failures {SyncFailures}, report failures {ReportFailures}";

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    private void ThrowIfLate(Stopwatch clock, TimeSpan timeout, int target)
    {
        if (clock.Elapsed > timeout)
        {
            throw new TimeoutException($"Only {Online} of {target} agents online after {timeout.TotalSeconds} s ({Counters()}).");
        }
    }
}
