using Portal.Features.Audit;
using Portal.Shared.Config;

namespace Portal.Features.FleetConfig;

/// <summary>One level's owner: the fleet (no id), a group or a device.</summary>
public sealed record ConfigScope(ConfigLevel Level, string OwnerId)
{
    public static ConfigScope Fleet { get; } = new(ConfigLevel.Fleet, "");

    public static ConfigScope Group(string id) => new(ConfigLevel.Group, id);

    public static ConfigScope Device(string id) => new(ConfigLevel.Device, id);

    /// <summary>The id as the REST answers show it: null for the fleet.</summary>
    public string? ShownOwnerId => Level == ConfigLevel.Fleet ? null : OwnerId;

    public string AuditTarget => Level switch
    {
        ConfigLevel.Group => AuditTargets.Group(OwnerId),
        ConfigLevel.Device => AuditTargets.Device(OwnerId),
        _ => AuditTargets.Fleet,
    };
}
