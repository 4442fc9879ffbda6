using Portal.Shared.Config;

namespace Portal.Features.FleetConfig;

/// <summary>Layers config sets: each later set overrides the keys and files of the earlier ones. Pure.</summary>
public static class EffectiveConfig
{
    /// <summary>A set and how its level is named to people ("fleet", "group Madrid", "device cam-1").</summary>
    public sealed record Layer(ConfigSetDto Set, string Source);

    public static EffectiveConfigDto Merge(string deviceId, IReadOnlyList<Layer> layers)
    {
        var values = new Dictionary<string, EffectiveConfigEntry>(StringComparer.Ordinal);
        var files = new Dictionary<string, EffectiveConfigEntry>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var (key, value) in layer.Set.Values)
            {
                values[key] = new EffectiveConfigEntry(key, value, layer.Set.Level, layer.Set.OwnerId, layer.Source);
            }

            foreach (var (name, text) in layer.Set.Files)
            {
                files[name] = new EffectiveConfigEntry(name, text, layer.Set.Level, layer.Set.OwnerId, layer.Source);
            }
        }

        return new EffectiveConfigDto(
            deviceId,
            layers.Select(l => l.Source).ToList(),
            values.Values.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
            files.Values.OrderBy(e => e.Key, StringComparer.Ordinal).ToList());
    }
}
