using System.Text.Json.Serialization;
using Portal.Shared.Workloads;

namespace Portal.Shared.Marketplace;

/// <summary>
/// One version of a marketplace app: how to run its container and what to ask the operator for. <see cref="Architectures"/>
/// lists the CPU architectures its image is built for (Docker's names: amd64, arm64, arm; absent means any);
/// <see cref="ImageSizeBytes"/>, when known, is checked against a device's free disk before deploying.
/// A version may instead be a stack: <see cref="Compose"/> holds its compose file (then <see cref="Image"/> and the
/// container fields are unused) and <see cref="ComposeFiles"/> the files uploaded beside it (env_file sources), by name.
/// </summary>
public sealed record AppVersion(
    string Version,
    string Image,
    IReadOnlyList<string>? Command = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    IReadOnlyList<PortMapping>? Ports = null,
    IReadOnlyList<VolumeMount>? Volumes = null,
    string RestartPolicy = "unless-stopped",
    string NetworkMode = "host",
    ResourceLimits? Limits = null,
    IReadOnlyList<AppParameter>? Parameters = null,
    string? ReleaseNotes = null,
    IReadOnlyList<string>? Architectures = null,
    long? ImageSizeBytes = null,
    string? Compose = null,
    IReadOnlyDictionary<string, string>? ComposeFiles = null,
    bool LiveConfig = false)
{
    /// <summary>This version runs as a stack of services rather than one container.</summary>
    [JsonIgnore]
    public bool IsStack => Compose is not null;
}
