using Portal.Shared.Config;

namespace Portal.Features.FleetConfig;

/// <summary>A level's set as it was before a change that is rolling out, for the devices not released to it yet.</summary>
public sealed record ConfigHold(ConfigLevel Level, string OwnerId, IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> Files, IReadOnlySet<string> Devices);
