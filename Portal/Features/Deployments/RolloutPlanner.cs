using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: one step of a rollout, decided only from what is stored, so a restarted portal decides exactly as the one
/// before it would have and a step is never taken twice. A rolling deployment releases its next batch only once
/// every released device is Running or Failed.
/// </summary>
public static class RolloutPlanner
{
    /// <param name="Reason">Why the device is where it is (a failure's message, "Superseded by deployment X").</param>
    public sealed record Target(string DeviceId, DeviceRolloutState State, DateTimeOffset? ReleasedAt, string? Reason = null);

    public sealed record Decision(IReadOnlyList<string> Release, IReadOnlyList<string> TimedOut, DeploymentState State, string? Reason, IReadOnlyList<string> Events)
    {
        public bool ChangesAnything(DeploymentState before, string? reasonBefore = null) =>
            Release.Count > 0 || TimedOut.Count > 0 || State != before || (Reason != reasonBefore && State == before && Events.Count > 0);
    }

    public const string NoDevices = "No device matches its targets yet";

    public static bool IsTerminal(DeviceRolloutState state) => state is DeviceRolloutState.Running or DeviceRolloutState.Failed;

    /// <param name="closedUntil">
    /// Devices whose maintenance windows are all closed now, with when the next one opens (deployments that respect
    /// windows; null otherwise): they are not released until then, and the deployment says it waits for them.
    /// </param>
    public static Decision Step(RolloutStrategy strategy, DeploymentState state, string? reason, IReadOnlyList<Target> targets, DateTimeOffset now, int failuresAccepted = 0,
        IReadOnlyDictionary<string, DateTimeOffset>? closedUntil = null)
    {
        if (state is DeploymentState.RolledBack or DeploymentState.AwaitingApproval)
        {
            return new Decision([], [], state, reason, []);
        }

        var events = new List<string>();
        var timeout = TimeSpan.FromSeconds(Math.Max(1, strategy.DeviceTimeoutSeconds));
        // A superseded device belongs to a newer deployment, a skipped one cannot run it: neither is waiting, in flight,
        // tried nor failed here.
        var superseded = targets.Where(t => t.State == DeviceRolloutState.Superseded).ToList();
        var skipped = targets.Count(t => t.State == DeviceRolloutState.Skipped);
        targets = targets.Where(t => t.State is not (DeviceRolloutState.Superseded or DeviceRolloutState.Skipped)).ToList();
        var timedOut = targets
            .Where(t => t.ReleasedAt is { } at && !IsTerminal(t.State) && t.State != DeviceRolloutState.Waiting && now - at > timeout)
            .Select(t => t.DeviceId)
            .ToList();
        var states = targets.ToDictionary(t => t.DeviceId, t => timedOut.Contains(t.DeviceId) ? DeviceRolloutState.Failed : t.State, StringComparer.Ordinal);
        var released = targets.Where(t => t.ReleasedAt is not null).Select(t => states[t.DeviceId]).ToList();
        var waiting = targets.Where(t => t.ReleasedAt is null).Select(t => t.DeviceId).Order(StringComparer.Ordinal).ToList();
        var held = closedUntil is null ? [] : waiting.Where(closedUntil.ContainsKey).ToList();
        var releasable = waiting.Except(held, StringComparer.Ordinal).ToList();
        var tried = released.Count(IsTerminal);
        var failed = released.Count(s => s == DeviceRolloutState.Failed);
        var inFlight = released.Count - tried;

        switch (state)
        {
            case DeploymentState.Paused or DeploymentState.Aborted:
                return new Decision([], timedOut, state, reason, events);

            case var _ when targets.Count == 0 && superseded.Count == 0 && skipped == 0:
                // Nothing tried is not "Completed": the deployment waits for a device to join its targets.
                return state == DeploymentState.InProgress && reason == NoDevices
                    ? new Decision([], [], state, reason, [])
                    : new Decision([], [], DeploymentState.InProgress, NoDevices, [NoDevices]);

            case DeploymentState.Superseded when waiting.Count > 0 || inFlight > 0:
                // A device was handed back (the newer deployment went): this one is rolling out there again.
                return new Decision(releasable, timedOut, DeploymentState.InProgress, null, [$"In progress again: {Devices(waiting.Count + inFlight)} handed back"]);

            case DeploymentState.Completed or DeploymentState.CompletedWithFailures or DeploymentState.Failed or DeploymentState.Superseded:
                if (releasable.Count > 0)
                {
                    return new Decision(releasable, timedOut, state, reason, [$"{Devices(releasable.Count)} joined a target and received it"]);
                }

                if (waiting.Count > 0)
                {
                    // Joined a target, but outside its maintenance windows: released when one opens.
                    return new Decision([], timedOut, state, reason, events);
                }

                // Settled, but devices keep reporting (and newer deployments take devices over): the verdict follows them.
                return inFlight > 0 ? new Decision([], timedOut, state, reason, events) : Outcome(tried, failed, released.Count, targets, timedOut, states, superseded, skipped, state, reason);
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

        var windowReason = held.Count == 0 ? null
            : $"Waiting for maintenance windows: {Devices(held.Count)} outside theirs; the next opens {closedUntil!.Where(c => held.Contains(c.Key)).Min(c => c.Value.ToUniversalTime()):yyyy-MM-dd HH:mm} UTC";
        var stillReason = held.Count > 0 ? windowReason : reason == WindowReasonOf(reason) ? null : reason;
        if (strategy.Kind == RolloutKind.AllAtOnce)
        {
            if (releasable.Count > 0)
            {
                return new Decision(releasable, timedOut, state, stillReason, [$"Released to {Devices(releasable.Count)}"]);
            }
        }
        else if (inFlight == 0 && releasable.Count > 0)
        {
            var batch = releasable.Take(Math.Max(1, strategy.BatchSize)).ToList();
            return new Decision(batch, timedOut, state, stillReason, [$"Released a batch of {Devices(batch.Count)} ({released.Count + batch.Count} of {targets.Count})"]);
        }

        if (waiting.Count == 0 && inFlight == 0)
        {
            return Outcome(tried, failed, released.Count, targets, timedOut, states, superseded, skipped, state, reason);
        }

        // Only devices outside their windows are left to release: say so, once (the reason changes as windows pass).
        return held.Count > 0 && inFlight == 0 && windowReason != reason
            ? new Decision([], timedOut, state, windowReason, [windowReason!])
            : new Decision([], timedOut, state, reason, events);
    }

    /// <summary>The reason itself when it is a maintenance-window wait (cleared once devices are released again).</summary>
    private static string? WindowReasonOf(string? reason) =>
        reason is not null && reason.StartsWith("Waiting for maintenance windows", StringComparison.Ordinal) ? reason : null;

    /// <summary>Every device was tried: say how it went, in the state and in words.</summary>
    private static Decision Outcome(int tried, int failed, int released, IReadOnlyList<Target> live, IReadOnlyList<string> timedOut,
        Dictionary<string, DeviceRolloutState> states, List<Target> superseded, int skipped, DeploymentState before, string? reasonBefore)
    {
        var replaced = Join(superseded.Count == 0 ? null : $"{Devices(superseded.Count)} superseded", skipped == 0 ? null : $"{Devices(skipped)} skipped");
        var (state, reason) = (tried, failed) switch
        {
            (0, _) when released == 0 && superseded.Count > 0 => (DeploymentState.Superseded, SupersededReason(superseded)),
            (0, _) when released == 0 && skipped > 0 => (DeploymentState.Failed, $"No device could run it: {Devices(skipped)} skipped"),
            (> 0, _) when failed == tried => (DeploymentState.Failed, $"All {Devices(tried)} failed{FirstFailure(live, timedOut, states)}"),
            (_, > 0) => (DeploymentState.CompletedWithFailures, Join($"{failed} of {Devices(tried)} failed{FirstFailure(live, timedOut, states)}", replaced)),
            _ => (DeploymentState.Completed, replaced),
        };
        if (state == before && reason == reasonBefore)
        {
            return new Decision([], timedOut, state, reason, []);
        }

        var summary = state switch
        {
            DeploymentState.Completed => Join(tried == 0 ? "no devices" : $"all {Devices(tried)} running", replaced),
            DeploymentState.Superseded => reason!,
            _ => Join($"{tried - failed} running, {failed} failed", replaced),
        };
        var name = state switch
        {
            DeploymentState.CompletedWithFailures => "Completed with failures",
            DeploymentState.Superseded => "Superseded",
            _ => state.ToString(),
        };
        return new Decision([], timedOut, state, reason, [state == DeploymentState.Superseded ? summary! : $"{name}: {summary}"]);
    }

    private static string FirstFailure(IReadOnlyList<Target> live, IReadOnlyList<string> timedOut, Dictionary<string, DeviceRolloutState> states)
    {
        var first = live.Where(t => states[t.DeviceId] == DeviceRolloutState.Failed).OrderBy(t => t.DeviceId, StringComparer.Ordinal).FirstOrDefault();
        var why = first is null ? null : timedOut.Contains(first.DeviceId) ? "did not report Running in time" : first.Reason;
        return string.IsNullOrWhiteSpace(why) ? "" : $" (first: {first!.DeviceId}: {why})";
    }

    private static string SupersededReason(List<Target> superseded)
    {
        var reasons = superseded.Select(t => t.Reason ?? "Superseded").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return reasons.Count == 1 ? reasons[0] : $"Superseded on every device: {string.Join("; ", reasons)}";
    }

    private static string? Join(string? first, string? second) => (first, second) switch
    {
        (null, _) => second,
        (_, null) => first,
        _ => $"{first}; {second}",
    };

    private static string Devices(int count) => count == 1 ? "1 device" : $"{count} devices";
}
