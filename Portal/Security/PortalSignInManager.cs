using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Security;

/// <summary>Records the time of every successful sign-in, whether by the sign-in page or by <c>/api/v1/auth/login</c>.</summary>
internal sealed partial class PortalSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation,
    TimeProvider clock)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the sign-in time of {UserId}: {Error}")]
    private static partial void LogSignInTimeNotRecorded(ILogger logger, string userId, string error);
}
