namespace Portal.Shared.Users;

/// <summary>Body of <c>POST /api/v1/users</c>: an admin creates a user with roles and an initial password.</summary>
public sealed record CreateUserRequest(string Email, string Password, IReadOnlyList<string> Roles);
