namespace Portal.Shared.Workloads;

/// <summary>
/// The agent version a device should run: one file per architecture, each with its signed manifest. The agent picks
/// the file for its own architecture, downloads it (from <see cref="AgentReleaseFile.DownloadPath"/>, with its own
/// credentials), checks size, SHA-256 and the signature against the key it pinned at enrollment, switches to it and
/// restarts; if the new version does not connect and report in time, the launcher puts the previous one back.
/// </summary>
public sealed record AgentReleaseWorkloadSpec(
    string Name,
    string DeploymentId,
    string Version,
    string SpecHash,
    IReadOnlyList<AgentReleaseFile> Files)
{
    /// <summary>The name the agent release runs under on every device: there is one agent per device.</summary>
    public const string WorkloadName = "portal-agent";
}

/// <summary>
/// One architecture's build of a release (<c>linux-x64</c>, <c>linux-arm64</c>) and the portal's signature over its
/// manifest (<see cref="Portal.Shared.AgentReleases.AgentReleaseManifest"/>), base64.
/// </summary>
public sealed record AgentReleaseFile(string Architecture, string Sha256, long SizeBytes, string DownloadPath, string Signature);
