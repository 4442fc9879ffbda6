using System.Security.Cryptography;
using System.Text;
using Portal.Features.FleetConfig;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: one device's copy of a container spec with <c>${config:KEY}</c> and <c>${secret:NAME}</c> in its command and
/// environment replaced by that device's values. A secret goes in protected (<paramref name="protect"/> gives the
/// stored <c>{enc:v1:…}</c> form), so the stored desired state never holds it in plain. The spec hash then also covers
/// each referenced value (a secret by its SHA-256, never the value): a container is recreated only when a value it
/// uses changes, and one that references nothing keeps its hash. A container that names <c>/appconfig/NAME</c> in its
/// command or environment gets that config file (the agent mounts it read-only there); its text is hashed too. One that
/// names <c>/run/secrets/NAME</c> gets that secret as a file (protected here like any secret; the agent puts it on a
/// tmpfs). An image on a registry the device has a credential for gets that credential (password protected like a secret).
/// Stacks resolve each service this way (<see cref="StackConfigResolver"/>).
/// </summary>
public static class WorkloadConfigResolver
{
    public static WorkloadSpec Resolve(WorkloadSpec spec, DeviceConfig config, Func<string, string> protect) =>
        Resolve(spec, [], config, protect).Spec;

    /// <summary>
    /// The spec resolved, and <paramref name="extra"/> (a stack service's entrypoint) resolved the same way and counted as
    /// the spec's input; the spec itself (same instance) when nothing in it refers to the device's config.
    /// </summary>
    public static (WorkloadSpec Spec, IReadOnlyList<string> Extra) Resolve(WorkloadSpec spec, IReadOnlyList<string> extra, DeviceConfig config, Func<string, string> protect)
    {
        // Secret files a stack service asked for by name (compose's secrets:) count as naming their path.
        var texts = spec.Command.Concat(spec.Environment.Values).Concat(extra)
            .Concat((spec.SecretFiles?.Keys ?? []).Select(name => ConfigReference.SecretMountPath + name)).ToList();
        var used = ConfigReference.In(texts);
        var files = ConfigReference.FilesIn(texts).Where(name => config.Files?.ContainsKey(name) == true).Order(StringComparer.Ordinal).ToList();
        var secretFiles = ConfigReference.SecretFilesIn(texts).Where(config.Secrets.ContainsKey).Order(StringComparer.Ordinal).ToList();
        var registry = config.Registries?.Where(r => RegistryHosts.Matches(r.Server, spec.Image)).OrderBy(r => r.Server, StringComparer.Ordinal).FirstOrDefault();
        if (used.Count == 0 && files.Count == 0 && secretFiles.Count == 0 && registry is null)
        {
            return (spec, extra);
        }

        string? Value(ConfigReference r) =>
            r.IsSecret ? (config.Secrets.TryGetValue(r.Key, out var secret) ? protect(secret) : null)
            : config.Values.GetValueOrDefault(r.Key);

        var inputs = new StringBuilder(spec.SpecHash);
        foreach (var reference in used.OrderBy(r => r.ToString(), StringComparer.Ordinal))
        {
            var value = reference.IsSecret ? config.Secrets.GetValueOrDefault(reference.Key) : config.Values.GetValueOrDefault(reference.Key);
            inputs.Append('|').Append(reference).Append('=').Append(value is null ? "-" : Sha256(value));
        }

        // A live-config app reads its files again by itself: their text is not an input of the container (no
        // recreate), only of ConfigVersion, which makes the desired state change so the agent rewrites the files.
        var liveFiles = new StringBuilder();
        foreach (var name in files)
        {
            (spec.LiveConfig ? liveFiles : inputs).Append("|file ").Append(name).Append('=').Append(Sha256(config.Files![name]));
        }

        foreach (var name in secretFiles)
        {
            inputs.Append("|secret file ").Append(name).Append('=').Append(Sha256(config.Secrets[name]));
        }

        if (registry is not null)
        {
            // A new credential means a new pull: after a refused pull, fixing the password must reach the agent.
            inputs.Append("|registry ").Append(registry.Server).Append(' ').Append(registry.Username).Append('=').Append(Sha256(registry.Password));
        }

        var resolved = spec with
        {
            Registry = registry is null ? null : registry with { Password = protect(registry.Password) },
            ConfigFiles = files.Count == 0 ? null : files.ToDictionary(name => name, name => config.Files![name], StringComparer.Ordinal),
            SecretFiles = secretFiles.Count == 0 ? null : secretFiles.ToDictionary(name => name, name => protect(config.Secrets[name]), StringComparer.Ordinal),
            Command = spec.Command.Select(c => ConfigReference.Replace(c, Value)).ToList(),
            Environment = new SortedDictionary<string, string>(spec.Environment.ToDictionary(kv => kv.Key, kv => ConfigReference.Replace(kv.Value, Value)), StringComparer.Ordinal),
            SpecHash = Sha256(inputs.ToString())[..16],
            ConfigVersion = spec.LiveConfig && files.Count > 0 ? Sha256(liveFiles.ToString())[..16] : null,
        };
        return (resolved, extra.Select(e => ConfigReference.Replace(e, Value)).ToList());
    }

    /// <summary>The workload as this device runs it; models pass unchanged.</summary>
    public static DesiredWorkload Resolve(DesiredWorkload workload, DeviceConfig config, Func<string, string> protect) => workload switch
    {
        { Container: { } container } when Resolve(container, config, protect) is var resolved && !ReferenceEquals(resolved, container) => DesiredWorkload.Of(resolved),
        { Stack: { } stack } when StackConfigResolver.Resolve(stack, config, protect) is var resolved && !ReferenceEquals(resolved, stack) => DesiredWorkload.Of(resolved),
        { Flow: { } flow } when DataFlowConfigResolver.Resolve(flow, config, protect) is var resolved && !ReferenceEquals(resolved, flow) => DesiredWorkload.Of(resolved),
        _ => workload,
    };

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
