namespace Portal.Shared.Users;

/// <summary>Body of <c>POST /api/v1/users/{id}/password</c>: an admin sets a new password for a user.</summary>
public sealed record ResetPasswordRequest(string NewPassword);
