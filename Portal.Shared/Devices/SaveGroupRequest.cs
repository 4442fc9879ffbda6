namespace Portal.Shared.Devices;

/// <summary>Body of <c>POST /api/v1/groups</c> and <c>PUT /api/v1/groups/{id}</c>.</summary>
public sealed record SaveGroupRequest(
    string Name,
    string? Description = null,
    IReadOnlyDictionary<string, string>? Selector = null,
    IReadOnlyList<string>? StaticMembers = null);
