namespace Portal.Features.Users;

/// <summary>An admin changed whether admins must use two-factor sign-in.</summary>
public sealed record TwoFactorPolicyChanged(bool RequiredForAdmins);
