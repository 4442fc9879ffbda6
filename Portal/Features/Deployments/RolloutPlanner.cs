using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: one step of a rollout, decided only from what is stored, so a restarted portal decides exactly as the one
/// before it would have and a step is never taken twice. A rolling deployment releases its next batch only once
/// every released device is Running or Failed.
/// </summary>
public static class RolloutPlanner
{
    public sealed record Target(string DeviceId, DeviceRolloutState State, DateTimeOffset? ReleasedAt);

    public sealed record Decision(IReadOnlyList<string> Release, IReadOnlyList<string> TimedOut, DeploymentState State, string? Reason, IReadOnlyList<string> Events)
    {
        public bool ChangesAnything(DeploymentState before) => Release.Count > 0 || TimedOut.Count > 0 || State != before;
    }

    public static bool IsTerminal(DeviceRolloutState state) => state is DeviceRolloutState.Running or DeviceRolloutState.Failed;

    public static Decision Step(RolloutStrategy strategy, DeploymentState state, string? reason, IReadOnlyList<Target> targets, DateTimeOffset now, int failuresAccepted = 0)
    {
        if (state == DeploymentState.RolledBack)
        {
            return new Decision([], [], state, reason, []);
        }

        var events = new List<string>();
        var timeout = TimeSpan.FromSeconds(Math.Max(1, strategy.DeviceTimeoutSeconds));
        var timedOut = targets
            .Where(t => t.ReleasedAt is { } at && !IsTerminal(t.State) && t.State != DeviceRolloutState.Waiting && now - at > timeout)
            .Select(t => t.DeviceId)
            .ToList();
        var states = targets.ToDictionary(t => t.DeviceId, t => timedOut.Contains(t.DeviceId) ? DeviceRolloutState.Failed : t.State, StringComparer.Ordinal);
        var released = targets.Where(t => t.ReleasedAt is not null).Select(t => states[t.DeviceId]).ToList();
        var waiting = targets.Where(t => t.ReleasedAt is null).Select(t => t.DeviceId).Order(StringComparer.Ordinal).ToList();
        var tried = released.Count(IsTerminal);
        var failed = released.Count(s => s == DeviceRolloutState.Failed);
        var inFlight = released.Count - tried;

        switch (state)
        {
            case DeploymentState.Paused or DeploymentState.Aborted:
                return new Decision([], timedOut, state, reason, events);

            case DeploymentState.Completed:
                return new Decision(waiting, timedOut, state, reason, waiting.Count > 0 ? [$"{Devices(waiting.Count)} joined a target and received it"] : events);
        }

        // Failures an operator accepted by resuming no longer count, so a resume does not pause again at once.
        var counted = (Failed: Math.Max(0, failed - failuresAccepted), Tried: Math.Max(0, tried - failuresAccepted));
        if (strategy.Kind == RolloutKind.Rolling && counted.Tried >= Math.Max(1, strategy.MinDevicesTried)
            && 100.0 * counted.Failed / counted.Tried > strategy.FailureThresholdPercent)
        {
            var why = $"{counted.Failed} of {counted.Tried} devices tried failed ({100.0 * counted.Failed / counted.Tried:F0}%), above the {strategy.FailureThresholdPercent:0.#}% threshold";
            return strategy.OnFailure == FailureAction.Rollback
                ? new Decision([], timedOut, DeploymentState.RolledBack, why, [$"Rolled back: {why}"])
                : new Decision([], timedOut, DeploymentState.Paused, why, [$"Paused: {why}"]);
        }

        if (strategy.Kind == RolloutKind.AllAtOnce)
        {
            if (waiting.Count > 0)
            {
                return new Decision(waiting, timedOut, state, reason, [$"Released to {Devices(waiting.Count)}"]);
            }
        }
        else if (inFlight == 0 && waiting.Count > 0)
        {
            var batch = waiting.Take(Math.Max(1, strategy.BatchSize)).ToList();
            return new Decision(batch, timedOut, state, reason, [$"Released a batch of {Devices(batch.Count)} ({released.Count + batch.Count} of {targets.Count})"]);
        }

        if (waiting.Count == 0 && inFlight == 0)
        {
            var summary = failed == 0 ? $"all {Devices(tried)} running" : $"{tried - failed} running, {failed} failed";
            return new Decision([], timedOut, DeploymentState.Completed, null, [$"Completed: {summary}"]);
        }

        return new Decision([], timedOut, state, reason, events);
    }

    private static string Devices(int count) => count == 1 ? "1 device" : $"{count} devices";
}
