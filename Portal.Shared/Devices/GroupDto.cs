namespace Portal.Shared.Devices;

/// <summary>
/// A device group: its static members plus every device whose labels match all of <see cref="Selector"/>
/// (an empty selector matches nothing, so a group is never everything by accident).
/// </summary>
public sealed record GroupDto(
    string Id,
    string Name,
    string Description,
    IReadOnlyDictionary<string, string> Selector,
    IReadOnlyList<string> StaticMembers,
    IReadOnlyList<GroupMember> Members,
    DateTimeOffset CreatedAt,
    IReadOnlyList<MaintenanceWindow>? MaintenanceWindows = null);

/// <summary>A device in a group, and why it is in it.</summary>
public sealed record GroupMember(string DeviceId, string Name, bool Static, bool MatchesSelector);
