using Portal.Shared.Alerts;

namespace Portal.Data;

/// <summary>
/// One alert episode of one rule on one subject. <see cref="OpenKey"/> is <c>{ruleId}|{subjectId}</c> while it is
/// Pending or Firing and null once Resolved: a unique index on it keeps one open alert per rule and subject, whatever
/// instance or restart evaluates.
/// </summary>
public sealed class Alert
{
    public long Id { get; set; }

    public required string RuleId { get; set; }

    /// <summary><c>device</c> or <c>deployment</c>.</summary>
    public required string SubjectKind { get; set; }

    public required string SubjectId { get; set; }

    public string SubjectName { get; set; } = "";

    public string? DeviceId { get; set; }

    public AlertState State { get; set; }

    public AlertSeverity Severity { get; set; }

    public double? Value { get; set; }

    public double Threshold { get; set; }

    public string Summary { get; set; } = "";

    public DateTimeOffset PendingSince { get; set; }

    public DateTimeOffset? FiredAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>While Firing: since when the value has been past the clear threshold (null: it has not cleared).</summary>
    public DateTimeOffset? ClearSince { get; set; }

    public DateTimeOffset LastObservedAt { get; set; }

    /// <summary>Its firing was queued for the rule's channels (a silenced alert's is not, until the silence ends).</summary>
    public bool FiringNotified { get; set; }

    public bool Silenced { get; set; }

    public DateTimeOffset? AckedAt { get; set; }

    public string? AckedBy { get; set; }

    public string? AckNote { get; set; }

    public string? OpenKey { get; set; }

    public int Version { get; set; }
}
