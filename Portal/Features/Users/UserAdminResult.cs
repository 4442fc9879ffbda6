using Portal.Common;
using Portal.Shared.Users;

namespace Portal.Features.Users;

/// <summary>What a user-administration operation did; <see cref="Error"/> is a sentence a person can act on.</summary>
public sealed record UserAdminResult(OperationOutcome Outcome, string? Error = null, UserDto? User = null)
{
    public bool Succeeded => Outcome == OperationOutcome.Ok;

    public static UserAdminResult Ok(UserDto? user = null) => new(OperationOutcome.Ok, User: user);

    public static UserAdminResult NotFound() => new(OperationOutcome.NotFound, "There is no such user. They may have just been deleted.");

    public static UserAdminResult Invalid(string error) => new(OperationOutcome.Invalid, error);

    public static UserAdminResult Conflict(string error) => new(OperationOutcome.Conflict, error);
}
