using Portal.Shared.Users;

namespace Portal.Features.Users;

public enum UserAdminOutcome
{
    Ok,
    NotFound,
    Invalid,
    Conflict,
}

/// <summary>What a user-administration operation did; <see cref="Error"/> is a sentence a person can act on.</summary>
public sealed record UserAdminResult(UserAdminOutcome Outcome, string? Error = null, UserDto? User = null)
{
    public bool Succeeded => Outcome == UserAdminOutcome.Ok;

    public static UserAdminResult Ok(UserDto? user = null) => new(UserAdminOutcome.Ok, User: user);

    public static UserAdminResult NotFound() => new(UserAdminOutcome.NotFound, "There is no such user. They may have just been deleted.");

    public static UserAdminResult Invalid(string error) => new(UserAdminOutcome.Invalid, error);

    public static UserAdminResult Conflict(string error) => new(UserAdminOutcome.Conflict, error);
}
