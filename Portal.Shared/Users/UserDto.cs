namespace Portal.Shared.Users;

/// <summary>A portal user as the Users page and <c>GET /api/v1/users</c> show it.</summary>
public sealed record UserDto(
    string Id,
    string Email,
    IReadOnlyList<string> Roles,
    bool IsLocked,
    DateTimeOffset? LockedUntil,
    DateTimeOffset? LastSignInAt,
    DateTimeOffset CreatedAt);
