using Portal.Data;
using Portal.Shared.Config;

namespace Portal.Features.FleetConfig;

/// <summary>
/// Every level's config and secrets read once, so the desired states of thousands of devices are resolved without a
/// query per device. Layers per device as <see cref="EffectiveConfigService"/> does: fleet, groups by name, device.
/// </summary>
public sealed class FleetConfigSnapshot(
    IReadOnlyList<ConfigSet> sets,
    IReadOnlyList<(ConfigSecret Secret, string Plain)> secrets,
    IReadOnlyList<(string GroupId, IReadOnlySet<string> Members)> groupsByName,
    IReadOnlyList<ConfigHold>? holds = null)
{
    public static FleetConfigSnapshot Empty { get; } = new([], [], []);

    public bool IsEmpty => sets.Count == 0 && secrets.Count == 0;

    public DeviceConfig For(string deviceId)
    {
        var order = new List<(ConfigLevel, string)> { (ConfigLevel.Fleet, "") };
        order.AddRange(groupsByName.Where(g => g.Members.Contains(deviceId)).Select(g => (ConfigLevel.Group, g.GroupId)));
        order.Add((ConfigLevel.Device, deviceId));
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var registries = new Dictionary<string, Portal.Shared.Workloads.RegistryAuth>(StringComparer.Ordinal);
        foreach (var (level, owner) in order)
        {
            var set = sets.FirstOrDefault(s => s.Level == level && s.OwnerId == owner);
            // A device a config rollout has not released yet keeps the level's values from before the change.
            var held = holds?.FirstOrDefault(h => h.Level == level && h.OwnerId == owner && h.Devices.Contains(deviceId));
            foreach (var (key, value) in held?.Values ?? set?.Values ?? [])
            {
                values[key] = value;
            }

            foreach (var (name, text) in held?.Files ?? set?.Files ?? [])
            {
                files[name] = text;
            }

            foreach (var (secret, value) in secrets.Where(s => s.Secret.Level == level && s.Secret.OwnerId == owner))
            {
                if (secret.Kind == SecretKind.RegistryCredential)
                {
                    registries[secret.Name] = new(secret.Server ?? "", secret.Username ?? "", value);
                }
                else
                {
                    plain[secret.Name] = value;
                }
            }
        }

        return new DeviceConfig(values, plain, files, [.. registries.Values]);
    }
}
