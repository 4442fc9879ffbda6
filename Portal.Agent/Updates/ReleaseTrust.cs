namespace Portal.Agent.Updates;

/// <summary>
/// The portal's public key for agent releases (SubjectPublicKeyInfo, base64), pinned at enrollment (or asked for once
/// over the authenticated connection by agents enrolled before it was handed out). Null until known: no release installs.
/// </summary>
public sealed class ReleaseTrust
{
    public string? Key { get; set; }
}
