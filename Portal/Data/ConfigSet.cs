using Portal.Shared.Config;

namespace Portal.Data;

/// <summary>The config keys/values and files kept at one level; <see cref="OwnerId"/> is "" for the fleet.</summary>
public sealed class ConfigSet
{
    public ConfigLevel Level { get; set; }

    public string OwnerId { get; set; } = "";

    public Dictionary<string, string> Values { get; set; } = [];

    public Dictionary<string, string> Files { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }
}
