using Portal.Shared.Alerts;

namespace Portal.Features.Alerts;

/// <summary>How one observed value stands against a rule: past the threshold, back past the clear threshold, or in the band between.</summary>
public enum Judgement
{
    Breached,
    Between,
    Clear,
}

/// <summary>What became of an alert after one observation.</summary>
public enum AlertTransition
{
    /// <summary>There was no open alert and the value is fine: nothing to do.</summary>
    None,

    /// <summary>Breached, not yet for the rule's duration (a new pending alert, or one that stays pending).</summary>
    Pending,

    /// <summary>Breached for the rule's duration: it fires now (notify).</summary>
    Fired,

    /// <summary>It was firing and still is (the value may sit in the hysteresis band, or be clearing but not long enough).</summary>
    Firing,

    /// <summary>A pending alert whose value came back before the duration: it is dropped, nothing was sent.</summary>
    Cancelled,

    /// <summary>Clear for the rule's resolve time: resolved (notify if its firing was sent).</summary>
    Resolved,
}

/// <summary>The rule's timings: how long a breach must hold to fire, and a clear value to resolve.</summary>
public sealed record RuleTiming(TimeSpan For, TimeSpan ResolveAfter);

/// <summary>
/// One observation of a subject. <paramref name="Since"/>: when the condition began, where the source knows it better than
/// the observation time (a device offline since it was last seen).
/// </summary>
public sealed record Observation(DateTimeOffset At, double? Value, Judgement Judgement, DateTimeOffset? Since = null);

/// <summary>The open alert's state the machine needs.</summary>
public sealed record OpenAlert(AlertState State, DateTimeOffset PendingSince, DateTimeOffset? ClearSince);

/// <summary>The step's outcome: the transition and the alert's times after it.</summary>
public sealed record AlertStep(AlertTransition Transition, DateTimeOffset PendingSince, DateTimeOffset? ClearSince);

/// <summary>
/// The heart of alerting, pure: pending while a breach is younger than the rule's duration, firing once it held that
/// long, resolved once the value stayed past the clear threshold for the resolve time. A value in the band between
/// the two thresholds keeps a firing alert firing (and restarts its clearing), so a flapping value fires once.
/// </summary>
public static class AlertStateMachine
{
    public static AlertStep Step(OpenAlert? open, RuleTiming timing, Observation observation)
    {
        var at = observation.At;
        if (open is null or { State: AlertState.Resolved })
        {
            if (observation.Judgement != Judgement.Breached)
            {
                return new AlertStep(AlertTransition.None, at, null);
            }

            var since = observation.Since is { } s && s < at ? s : at;
            return new AlertStep(at - since >= timing.For ? AlertTransition.Fired : AlertTransition.Pending, since, null);
        }

        if (open.State == AlertState.Pending)
        {
            if (observation.Judgement != Judgement.Breached)
            {
                return new AlertStep(AlertTransition.Cancelled, open.PendingSince, null);
            }

            return new AlertStep(at - open.PendingSince >= timing.For ? AlertTransition.Fired : AlertTransition.Pending, open.PendingSince, null);
        }

        if (observation.Judgement != Judgement.Clear)
        {
            return new AlertStep(AlertTransition.Firing, open.PendingSince, null);
        }

        var clearSince = open.ClearSince is { } c && c <= at ? c : at;
        return new AlertStep(at - clearSince >= timing.ResolveAfter ? AlertTransition.Resolved : AlertTransition.Firing, open.PendingSince, clearSince);
    }

    /// <summary>Above: breached past the threshold, clear at or under the clear threshold; Below: the mirror image.</summary>
    public static Judgement Judge(double value, Comparison comparison, double threshold, double clearThreshold) => comparison switch
    {
        Comparison.Above => value > threshold ? Judgement.Breached : value <= clearThreshold ? Judgement.Clear : Judgement.Between,
        _ => value < threshold ? Judgement.Breached : value >= clearThreshold ? Judgement.Clear : Judgement.Between,
    };
}
