using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Features.Compose;

/// <summary>
/// Pure: turns a stack version and its parameter values into the <see cref="StackSpec"/> a device runs. Each service
/// is hashed on its own (a change to one service recreates only it); the stack's hash covers every service's.
/// Named volumes are scoped to the stack (<c>{stack}_{volume}</c>, Compose's project prefix); a bind mount under the
/// app's folder (<c>./data</c>) becomes the stack's own volume, so nothing outside the engine's volume store is mounted.
/// </summary>
public static class StackSpecBuilder
{
    public static StackSpec Build(string workloadName, string deploymentId, AppVersion version, IReadOnlyDictionary<string, string> parameters)
    {
        var app = ComposeParser.Parse(version.Compose ?? "", parameters);
        var files = version.ComposeFiles ?? new Dictionary<string, string>();
        var services = app.Services.Select(s => Service(workloadName, deploymentId, s, parameters, files)).ToList();
        return new StackSpec(workloadName, deploymentId, services, StackHash(services));
    }

    /// <summary>The stack's hash, made of its services' (so it changes whenever one of them does).</summary>
    public static string StackHash(IEnumerable<StackService> services) =>
        Hash(string.Join('|', services.Select(s => $"{s.ServiceName}={s.Container.SpecHash}")));

    private static StackService Service(
        string stack, string deploymentId, ComposeService s, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> files)
    {
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            environment[key] = value;
        }

        // Compose's order: env_file first, then environment overrides it.
        foreach (var file in s.EnvFiles)
        {
            foreach (var (key, value) in ComposeEnvFile.Read(files.GetValueOrDefault(file) ?? files.GetValueOrDefault(file.TrimStart('.', '/')) ?? ""))
            {
                environment[key] = value;
            }
        }

        foreach (var (key, value) in s.Environment)
        {
            environment[key] = value;
        }

        var volumes = s.Volumes.Select(v => new VolumeMount(VolumeName(stack, v), v.Target, v.ReadOnly)).ToList();
        // Compose's secrets: asked for by name (no value yet); each device's copy gets the value (StackConfigResolver).
        var container = new WorkloadSpec(s.Name, deploymentId, s.Image, s.Command, environment, s.Ports, volumes, s.Restart, s.NetworkMode, s.Limits, "",
            SecretFiles: s.Secrets is [_, ..] secrets ? secrets.ToDictionary(n => n, _ => "", StringComparer.Ordinal) : null);
        var service = new StackService(s.Name, container, s.DependsOn, s.HealthCheck, s.Entrypoint, s.Labels, s.Devices);
        // The deployment id is left out: a newer deployment of the very same thing must not recreate the container.
        var hashed = JsonSerializer.Serialize(service with { Container = container with { DeploymentId = "" } }, JsonSerializerOptions.Web);
        return service with { Container = container with { SpecHash = Hash(hashed) } };
    }

    private static string VolumeName(string stack, ComposeVolume volume) => volume.IsBind
        ? $"{stack}_data{string.Concat(volume.Source.TrimStart('.').Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'))}"
        : $"{stack}_{volume.Source}";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
