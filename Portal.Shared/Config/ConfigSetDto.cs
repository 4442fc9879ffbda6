namespace Portal.Shared.Config;

/// <summary>
/// The keys/values and files kept at one level (<see cref="OwnerId"/> is the group's or device's id, null for the
/// fleet). A level nobody has set yet is empty, never missing. <see cref="RolloutId"/> names the rollout of this
/// level's latest change while it is rolling out.
/// </summary>
public sealed record ConfigSetDto(
    ConfigLevel Level,
    string? OwnerId,
    IReadOnlyDictionary<string, string> Values,
    IReadOnlyDictionary<string, string> Files,
    DateTimeOffset? UpdatedAt,
    string? RolloutId = null);
