namespace Portal.Shared.Alerts;

/// <summary>
/// One alert: one rule on one subject (a device, or a deployment for deployment rules), from Pending to Resolved.
/// <see cref="Value"/> is the latest observed value (seconds offline, the number of workloads down, …);
/// <see cref="Silenced"/>: a silence covered it, so its firing was not sent.
/// </summary>
public sealed record AlertDto(
    long Id,
    string RuleId,
    string RuleName,
    AlertRuleKind Kind,
    AlertSeverity Severity,
    AlertState State,
    string SubjectKind,
    string SubjectId,
    string SubjectName,
    string? DeviceId,
    double? Value,
    double Threshold,
    string Summary,
    DateTimeOffset PendingSince,
    DateTimeOffset? FiredAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset LastObservedAt,
    bool Silenced,
    DateTimeOffset? AckedAt,
    string? AckedBy,
    string? AckNote);

/// <summary>A page of alerts: firing first, then pending, then resolved; newest first within each.</summary>
public sealed record AlertPage(IReadOnlyList<AlertDto> Items, int Total);

/// <summary>How many alerts fire now, and how many of them nobody has acknowledged (the app bar's count).</summary>
public sealed record AlertCounts(int Firing, int Unacknowledged, int Pending);

/// <summary>Acknowledges a pending or firing alert: someone is on it. The note (1-1000 characters) says who or what.</summary>
public sealed record AckAlertRequest(string Note);

/// <summary>
/// A silence: alerts of the rules, groups or devices named (empty lists: any), between <see cref="StartsAt"/> and
/// <see cref="EndsAt"/>, are recorded but not sent. Ended early by deleting it.
/// </summary>
public sealed record SilenceDto(
    string Id,
    IReadOnlyList<string> RuleIds,
    IReadOnlyList<string> GroupIds,
    IReadOnlyList<string> DeviceIds,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string Comment,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    bool Active);

/// <summary>Creates a silence of at most 30 days; <see cref="StartsAt"/> left out: now. A comment says why (1-500 characters).</summary>
public sealed record CreateSilenceRequest(
    DateTimeOffset EndsAt,
    string Comment,
    IReadOnlyList<string>? RuleIds = null,
    IReadOnlyList<string>? GroupIds = null,
    IReadOnlyList<string>? DeviceIds = null,
    DateTimeOffset? StartsAt = null);
