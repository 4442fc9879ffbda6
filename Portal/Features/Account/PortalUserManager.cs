using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Security;

namespace Portal.Features.Account;

/// <summary>
/// Identity's user manager, with a password change that is guarded like a sign-in: refused while the account (or the
/// caller's address) is locked out, a wrong current password counts towards both locks, and every attempt - from the
/// account page or <c>POST /api/v1/auth/manage/info</c> - lands in the audit log (never a password).
/// </summary>
internal sealed class PortalUserManager(
    IUserStore<PortalUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<PortalUser> passwordHasher,
    IEnumerable<IUserValidator<PortalUser>> userValidators,
    IEnumerable<IPasswordValidator<PortalUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<PortalUser>> logger,
    IHttpContextAccessor http,
    SignInLockout lockout,
    AuditLog audit)
    : UserManager<PortalUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public const string LockedOutCode = "LockedOut";

    public override async Task<IdentityResult> ChangePasswordAsync(PortalUser user, string currentPassword, string newPassword)
    {
        var source = http.HttpContext?.Connection.RemoteIpAddress;
        if (lockout.IsLocked(user.Id, source) || await IsLockedOutAsync(user))
        {
            await RecordAsync(user, AuditOutcomes.Denied, "account locked");
            return IdentityResult.Failed(new IdentityError
            {
                Code = LockedOutCode,
                Description = "The account is locked after too many wrong passwords; try again later or ask an admin to unlock it.",
            });
        }

        var result = await base.ChangePasswordAsync(user, currentPassword, newPassword);
        if (result.Succeeded)
        {
            lockout.Reset(user.Id, source);
            await RecordAsync(user, AuditOutcomes.Success, null);
        }
        else if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
        {
            var lockedHere = lockout.RecordFailure(user.Id, source);
            await AccessFailedAsync(user);
            var locked = lockedHere || await IsLockedOutAsync(user);
            await RecordAsync(user, AuditOutcomes.Failure, locked ? "wrong current password; the account is now locked" : "wrong current password");
        }
        else
        {
            await RecordAsync(user, AuditOutcomes.Failure, "new password refused: " + string.Join(", ", result.Errors.Select(e => e.Code)));
        }

        return result;
    }

    private Task RecordAsync(PortalUser user, string outcome, string? why)
    {
        var context = http.HttpContext;
        var actor = context is null ? new AuditActor(AuditActor.User, user.Id, user.Email ?? user.Id, null) : AuditActor.From(context);
        var where = context is not null && PortalAuthSchemes.IsApiRequest(context.Request) ? "through the API" : "on the account page";
        return audit.RecordAsync(actor, AuditActions.UserPasswordChanged, AuditTargets.User(user.Id), user.Email, outcome,
            why is null ? where : $"{why} ({where})");
    }
}
