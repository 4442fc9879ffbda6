namespace Portal.Shared.Audit;

/// <summary>
/// One audit log entry: when, who (<paramref name="ActorKind"/> User, Token, Device, System or Anonymous), what
/// (a dotted action such as <c>user.signin</c>), to what (<c>kind:id</c>), with which outcome (Success, Failure or
/// Denied), from where, and a short detail.
/// </summary>
public sealed record AuditEntryDto(
    long Id,
    DateTimeOffset At,
    string ActorKind,
    string? ActorId,
    string ActorName,
    string Action,
    string? Target,
    string? TargetName,
    string Outcome,
    string? SourceIp,
    string? Detail);
