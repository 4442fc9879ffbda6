using Portal.Shared.Config;

namespace Portal.Features.FleetConfig;

/// <summary>A level's config set or secrets changed: the devices under it must have their desired states recomputed.</summary>
public sealed record ConfigChanged(ConfigLevel Level, string OwnerId);
