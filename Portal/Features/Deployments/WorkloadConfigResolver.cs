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
/// command or environment gets that config file (the agent mounts it read-only there); its text is hashed too. An image
/// on a registry the device has a credential for gets that credential (password protected like a secret).
/// </summary>
public static class WorkloadConfigResolver
{
    public static WorkloadSpec Resolve(WorkloadSpec spec, DeviceConfig config, Func<string, string> protect)
    {
        var texts = spec.Command.Concat(spec.Environment.Values).ToList();
        var used = ConfigReference.In(texts);
        var files = ConfigReference.FilesIn(texts).Where(name => config.Files?.ContainsKey(name) == true).Order(StringComparer.Ordinal).ToList();
        var registry = config.Registries?.Where(r => RegistryHosts.Matches(r.Server, spec.Image)).OrderBy(r => r.Server, StringComparer.Ordinal).FirstOrDefault();
        if (used.Count == 0 && files.Count == 0 && registry is null)
        {
            return spec;
        }

        string? Value(ConfigReference r) =>
            r.IsSecret ? (config.Secrets.TryGetValue(r.Key, out var secret) ? protect(secret) : null)
            : config.Values.GetValueOrDefault(r.Key);

        var inputs = new StringBuilder(spec.SpecHash);
        foreach (var reference in used.OrderBy(r => r.ToString(), StringComparer.Ordinal))
        {
            var value = reference.IsSecret ? config.Secrets.GetValueOrDefault(reference.Key) : config.Values.GetValueOrDefault(reference.Key);
            var fingerprint = value is null ? "-" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
            inputs.Append('|').Append(reference).Append('=').Append(fingerprint);
        }

        foreach (var name in files)
        {
            inputs.Append("|file ").Append(name).Append('=').Append(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(config.Files![name]))));
        }

        if (registry is not null)
        {
            // A new credential means a new pull: after a refused pull, fixing the password must reach the agent.
            inputs.Append("|registry ").Append(registry.Server).Append(' ').Append(registry.Username).Append('=')
                .Append(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(registry.Password))));
        }

        return spec with
        {
            Registry = registry is null ? null : registry with { Password = protect(registry.Password) },
            ConfigFiles = files.Count == 0 ? null : files.ToDictionary(name => name, name => config.Files![name], StringComparer.Ordinal),
            Command = spec.Command.Select(c => ConfigReference.Replace(c, Value)).ToList(),
            Environment = new SortedDictionary<string, string>(spec.Environment.ToDictionary(kv => kv.Key, kv => ConfigReference.Replace(kv.Value, Value)), StringComparer.Ordinal),
            SpecHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs.ToString())))[..16],
        };
    }

    /// <summary>The workload as this device runs it; other kinds pass unchanged.</summary>
    public static DesiredWorkload Resolve(DesiredWorkload workload, DeviceConfig config, Func<string, string> protect) =>
        workload.Container is { } container && Resolve(container, config, protect) is var resolved && !ReferenceEquals(resolved, container)
            ? DesiredWorkload.Of(resolved)
            : workload;
}
