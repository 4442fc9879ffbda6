namespace Portal.Data;

/// <summary>
/// One line of the append-only audit log: when, who (a user, an access token, a device or the system), what, to
/// which target, with what outcome, from where. Rows are only ever inserted; retention is the only thing that removes them.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>User, Token, Device, System or Anonymous.</summary>
    public required string ActorKind { get; set; }

    /// <summary>The user's, token's or device's id; null for the system or an anonymous caller.</summary>
    public string? ActorId { get; set; }

    /// <summary>What people read: an e-mail, "token 'ci' of ana@…", a device name.</summary>
    public required string ActorName { get; set; }

    /// <summary>Dotted, stable names such as <c>user.signin</c>, <c>deployment.created</c>, <c>model.version.uploaded</c>.</summary>
    public required string Action { get; set; }

    /// <summary>What it was done to, as <c>kind:id</c> (<c>device:3f2a…</c>); null when nothing in particular.</summary>
    public string? Target { get; set; }

    public string? TargetName { get; set; }

    /// <summary>Success, Failure or Denied.</summary>
    public required string Outcome { get; set; }

    public string? SourceIp { get; set; }

    public string? Detail { get; set; }
}
