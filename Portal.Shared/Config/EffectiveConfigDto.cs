namespace Portal.Shared.Config;

/// <summary>
/// A device's effective config: the fleet's set, then its groups' in <see cref="Order"/> (group name, ordinal), then
/// the device's own, later overriding earlier. Files are listed without their text beyond <see cref="EffectiveConfigEntry.Value"/>.
/// </summary>
public sealed record EffectiveConfigDto(
    string DeviceId,
    IReadOnlyList<string> Order,
    IReadOnlyList<EffectiveConfigEntry> Values,
    IReadOnlyList<EffectiveConfigEntry> Files);
