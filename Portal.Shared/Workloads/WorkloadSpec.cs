namespace Portal.Shared.Workloads;

/// <summary>
/// One container a device should run, fully resolved by the portal (parameters substituted). <see cref="SpecHash"/>
/// changes whenever anything that needs a new container changes; the agent recreates on a different hash.
/// <see cref="ConfigFiles"/> (name → text) are the device's config files the container asked for; the agent mounts them
/// read-only at <c>/appconfig/</c>; <see cref="Registry"/> is the credential for a private registry's image;
/// <see cref="SecretFiles"/> (name → value) are the secrets it asked for as files, which the agent puts read-only at
/// <c>/run/secrets/</c> from a tmpfs, never on disk, in a label or in a variable. Added last and optional, so older desired states and agents still read.
/// </summary>
public sealed record WorkloadSpec(
    string Name,
    string DeploymentId,
    string Image,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<PortMapping> Ports,
    IReadOnlyList<VolumeMount> Volumes,
    string RestartPolicy,
    string NetworkMode,
    ResourceLimits Limits,
    string SpecHash,
    IReadOnlyDictionary<string, string>? ConfigFiles = null,
    RegistryAuth? Registry = null,
    IReadOnlyDictionary<string, string>? SecretFiles = null,
    bool LiveConfig = false,
    string? ConfigVersion = null);
