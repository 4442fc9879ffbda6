using Portal.Data;
using Portal.Features.Notifications;
using Portal.Shared.Alerts;

namespace Portal.Features.Alerts;

/// <summary>
/// The open alerts of one evaluation (one rule, or one device's stream) in one context: observations step them through
/// <see cref="AlertStateMachine"/>; then <see cref="Notify"/> queues what must be sent, in the same transaction.
/// </summary>
internal sealed class AlertBook(PortalDbContext db, IEnumerable<Alert> open)
{
    private readonly Dictionary<string, Alert> open = open.ToDictionary(a => a.OpenKey!, StringComparer.Ordinal);
    private readonly List<(Alert Alert, AlertRule Rule, bool Resolved)> touched = [];

    public bool Changed { get; private set; }

    public IEnumerable<string?> TouchedDevices => touched.Select(t => t.Alert.DeviceId);

    public static string KeyOf(string ruleId, string subjectId) => $"{ruleId}|{subjectId}";

    public bool IsOpen(AlertRule rule, string subjectId) => open.ContainsKey(KeyOf(rule.Id, subjectId));

    public IEnumerable<Alert> OpenOf(AlertRule rule) => open.Values.Where(a => a.RuleId == rule.Id);

    public void Apply(AlertRule rule, SubjectObservation subject)
    {
        if (subject.Observation is not { } observation)
        {
            return;
        }

        var key = KeyOf(rule.Id, subject.SubjectId);
        open.TryGetValue(key, out var alert);
        var timing = new RuleTiming(TimeSpan.FromSeconds(rule.Enabled ? rule.ForSeconds : 0), TimeSpan.FromSeconds(rule.Enabled ? rule.ResolveAfterSeconds : 0));
        var step = AlertStateMachine.Step(alert is null ? null : new OpenAlert(alert.State, alert.PendingSince, alert.ClearSince), timing, observation);
        if (step.Transition == AlertTransition.None)
        {
            return;
        }

        Changed = true;
        if (alert is null)
        {
            alert = new Alert
            {
                RuleId = rule.Id,
                SubjectKind = subject.SubjectKind,
                SubjectId = subject.SubjectId,
                SubjectName = Cut(subject.SubjectName, 200),
                DeviceId = subject.DeviceId,
                Severity = rule.Severity,
                Threshold = rule.Threshold,
                PendingSince = step.PendingSince,
                State = AlertState.Pending,
                OpenKey = key,
            };
            db.Alerts.Add(alert);
            open[key] = alert;
        }
        else
        {
            alert.Version++;
        }

        alert.LastObservedAt = observation.At;
        alert.ClearSince = step.ClearSince;
        if (observation.Judgement != Judgement.Clear)
        {
            alert.Value = observation.Value ?? alert.Value;
            alert.Summary = Cut(subject.Summary, 500);
        }

        switch (step.Transition)
        {
            case AlertTransition.Fired:
                (alert.State, alert.FiredAt) = (AlertState.Firing, observation.At);
                touched.Add((alert, rule, false));
                break;
            case AlertTransition.Cancelled:
                db.Alerts.Remove(alert);
                open.Remove(key);
                break;
            case AlertTransition.Resolved:
                (alert.State, alert.ResolvedAt, alert.OpenKey) = (AlertState.Resolved, observation.At, null);
                open.Remove(key);
                touched.Add((alert, rule, true));
                break;
        }
    }

    /// <summary>
    /// After the alerts are saved (so new ones have ids): queues the firing of each alert that fired now and is not
    /// silenced, and the resolution of each that resolved after its firing was sent. Returns whether anything was queued.
    /// </summary>
    public bool Notify(AlertScope scope, string portalUrl)
    {
        var queued = false;
        foreach (var (alert, rule, resolved) in touched)
        {
            if (!alert.FiringNotified && alert.FiredAt is not null && (!resolved || !scope.Silenced(rule.Id, alert.DeviceId)))
            {
                queued |= NotifyFiring(db, alert, rule, scope, portalUrl);
            }

            if (resolved && alert.FiringNotified)
            {
                NotificationOutbox.Enqueue(db, rule.ChannelIds, $"alert:{alert.Id}:Resolved", AlertMessages.For(alert, rule, portalUrl), scope.Now);
                queued |= rule.ChannelIds.Count > 0;
            }
        }

        return queued;
    }

    /// <summary>A firing alert not yet sent: sent now unless a silence covers it (then marked silenced; sent when the silence ends, if still firing).</summary>
    public static bool NotifyFiring(PortalDbContext db, Alert alert, AlertRule rule, AlertScope scope, string portalUrl)
    {
        alert.Version++;
        if (scope.Silenced(rule.Id, alert.DeviceId))
        {
            alert.Silenced = true;
            return false;
        }

        var firing = AlertMessages.For(alert.State == AlertState.Resolved ? Clone(alert) : alert, rule, portalUrl);
        NotificationOutbox.Enqueue(db, rule.ChannelIds, $"alert:{alert.Id}:Firing", firing, scope.Now);
        (alert.FiringNotified, alert.Silenced) = (true, false);
        return rule.ChannelIds.Count > 0;
    }

    // An alert that fired and resolved within one pass is announced firing first, as it was when it fired.
    private static Alert Clone(Alert alert) => new()
    {
        Id = alert.Id, RuleId = alert.RuleId, SubjectKind = alert.SubjectKind, SubjectId = alert.SubjectId, SubjectName = alert.SubjectName,
        DeviceId = alert.DeviceId, State = AlertState.Firing, Severity = alert.Severity, Value = alert.Value, Threshold = alert.Threshold,
        Summary = alert.Summary, PendingSince = alert.PendingSince, FiredAt = alert.FiredAt,
    };

    private static string Cut(string text, int max) => text.Length > max ? text[..(max - 1)] + "…" : text;
}
