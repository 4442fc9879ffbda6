namespace Portal.Shared.Users;

/// <summary>Body of <c>PUT /api/v1/users/{id}</c>. A null member is left as it is.</summary>
public sealed record UpdateUserRequest(IReadOnlyList<string>? Roles, bool? Locked);
