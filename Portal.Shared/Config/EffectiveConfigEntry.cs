namespace Portal.Shared.Config;

/// <summary>One key's (or file's) value on a device and the level it came from; <see cref="Source"/> says it in words.</summary>
public sealed record EffectiveConfigEntry(string Key, string Value, ConfigLevel Level, string? OwnerId, string Source);
