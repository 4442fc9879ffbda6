using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Security;

namespace Portal.Features.Account;

/// <summary>
/// Records every sign-in, whether by the sign-in page or by <c>/api/v1/auth/login</c>: its time on the user, and in the
/// audit log a success, a failure (the e-mail tried, as an anonymous actor) or a refusal of a locked account; and sign-outs.
/// Wrong passwords and codes lock the account for their source address first (<see cref="SignInLockout"/>), so nobody
/// can lock the owner out from elsewhere; Identity's own account-wide lock counts every failure behind it.
/// </summary>
internal sealed partial class PortalSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation,
    TimeProvider clock,
    AuditLog audit,
    SignInLockout lockout)
    : SignInManager<PortalUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private bool refreshing;

    public override async Task SignInWithClaimsAsync(
        PortalUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        if (!refreshing)
        {
            user.LastSignInAt = clock.GetUtcNow();
            var updated = await UserManager.UpdateAsync(user);
            if (!updated.Succeeded)
            {
                LogSignInTimeNotRecorded(Logger, user.Id, updated.Errors.First().Description);
            }
        }

        await base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
        if (!refreshing)
        {
            await audit.RecordAsync(UserActor(user), AuditActions.SignIn, AuditTargets.User(user.Id), user.Email,
                detail: AuthenticationScheme == IdentityConstants.BearerScheme ? "through the API (bearer token)" : "in the browser");
        }
    }

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        var wasLocked = user is not null && await IsLockedAsync(user);
        var result = await base.PasswordSignInAsync(userName, password, isPersistent, lockoutOnFailure);
        if (!result.Succeeded && !result.RequiresTwoFactor)
        {
            // Never the password: only the name that was tried, and why it was refused. The attempt that locks an
            // account is a wrong password; only later attempts are refused for the lock.
            var (outcome, why) = result.IsLockedOut && !wasLocked ? (AuditOutcomes.Failure, "wrong password; " + await LockedNowAsync(user!))
                : result.IsLockedOut ? (AuditOutcomes.Denied, await LockKindAsync(user!))
                : result.IsNotAllowed ? (AuditOutcomes.Denied, "account may not sign in")
                : (AuditOutcomes.Failure, "wrong e-mail or password");
            var actor = new AuditActor(AuditActor.Anonymous, null, userName ?? "", Ip);
            await audit.RecordAsync(actor, AuditActions.SignIn, null, null, outcome, why);
        }

        return result;
    }

    /// <summary>The password check of every sign-in: refused while this source is locked out, counted per source.</summary>
    public override async Task<SignInResult> CheckPasswordSignInAsync(PortalUser user, string password, bool lockoutOnFailure)
    {
        if (!lockoutOnFailure)
        {
            return await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        }

        return lockout.IsLocked(user.Id, Source) ? SignInResult.LockedOut : Counted(user, await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure));
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var (user, wasLocked) = await TwoFactorUserAsync();
        var result = wasLocked ? SignInResult.LockedOut : Counted(user, await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient));
        await RecordSecondFactorFailureAsync(user, wasLocked, result, "wrong two-factor code");
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var (user, wasLocked) = await TwoFactorUserAsync();
        var result = wasLocked ? SignInResult.LockedOut : Counted(user, await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode));
        await RecordSecondFactorFailureAsync(user, wasLocked, result, "wrong two-factor code (recovery code)");
        return result;
    }

    public override async Task SignOutAsync()
    {
        var principal = Context.User;
        await base.SignOutAsync();
        if (principal.Identity?.IsAuthenticated == true)
        {
            var actor = AuditActor.From(principal, Ip);
            await audit.RecordAsync(actor, AuditActions.SignOut, actor.Id is { } id ? AuditTargets.User(id) : null, actor.Name);
        }
    }

    /// <summary>Re-issuing the cookie (after a password change) is not a new sign-in.</summary>
    public override async Task RefreshSignInAsync(PortalUser user)
    {
        refreshing = true;
        try
        {
            await base.RefreshSignInAsync(user);
        }
        finally
        {
            refreshing = false;
        }
    }

    private async Task<(PortalUser? User, bool WasLocked)> TwoFactorUserAsync()
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        return (user, user is not null && await IsLockedAsync(user));
    }

    /// <summary>A right secret clears this source's count; a wrong one adds to it and may lock the source out.</summary>
    private SignInResult Counted(PortalUser? user, SignInResult result)
    {
        if (user is null || result.IsLockedOut || result.IsNotAllowed)
        {
            return result;
        }

        if (result.Succeeded || result.RequiresTwoFactor)
        {
            lockout.Reset(user.Id, Source);
            return result;
        }

        return lockout.RecordFailure(user.Id, Source) ? SignInResult.LockedOut : result;
    }

    private async Task<bool> IsLockedAsync(PortalUser user) => lockout.IsLocked(user.Id, Source) || await UserManager.IsLockedOutAsync(user);

    private async Task<string> LockedNowAsync(PortalUser user) =>
        await UserManager.IsLockedOutAsync(user) ? "the account is now locked" : "sign-ins from this address are now locked";

    private async Task<string> LockKindAsync(PortalUser user) =>
        await UserManager.IsLockedOutAsync(user) ? "account locked" : "account locked for this address";

    /// <summary>The password was right, so the entry names the account; a success is recorded by the sign-in itself.</summary>
    private async Task RecordSecondFactorFailureAsync(PortalUser? user, bool wasLocked, SignInResult result, string why)
    {
        if (result.Succeeded || user is null)
        {
            return;
        }

        var (outcome, detail) = result.IsLockedOut && !wasLocked ? (AuditOutcomes.Failure, why + "; " + await LockedNowAsync(user))
            : result.IsLockedOut ? (AuditOutcomes.Denied, await LockKindAsync(user))
            : (AuditOutcomes.Failure, why);
        var name = user.Email ?? user.UserName ?? user.Id;
        await audit.RecordAsync(new AuditActor(AuditActor.Anonymous, null, name, Ip), AuditActions.SignIn, AuditTargets.User(user.Id), name, outcome, detail);
    }

    private string? Ip => Context.Connection.RemoteIpAddress?.ToString();

    private System.Net.IPAddress? Source => Context.Connection.RemoteIpAddress;

    private AuditActor UserActor(PortalUser user) => new(AuditActor.User, user.Id, user.Email ?? user.UserName ?? user.Id, Ip);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the sign-in time of {UserId}: {Error}")]
    private static partial void LogSignInTimeNotRecorded(ILogger logger, string userId, string error);
}
