namespace Portal.Data;

/// <summary>
/// An uploaded release of the agent: a version and one single-file build per architecture, each stored in the
/// artifact store by its SHA-256 and signed by the portal's release key (<see cref="AgentReleaseFileRecord.Signature"/>).
/// </summary>
public sealed class AgentRelease
{
    public required string Id { get; set; }

    /// <summary>The version stamped into the builds ("0.5.1"); unique.</summary>
    public required string Version { get; set; }

    public string? ReleaseNotes { get; set; }

    public List<AgentReleaseFileRecord> Files { get; set; } = [];

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One architecture's build: where it is (its hash), how big, and the signature over its manifest (base64).</summary>
public sealed record AgentReleaseFileRecord(string Architecture, string Sha256, long SizeBytes, string Signature);

/// <summary>What an agent release deployment deploys: the release as it was when deployed (files and signatures).</summary>
public sealed record AgentReleaseDeploymentSpec(string ReleaseId, string Version, List<AgentReleaseFileRecord> Files);
