using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Portal.Components.Account;
using Portal.Data;
using Portal.Features.Audit;

namespace Portal.Features.Account;

public sealed partial class TwoFactorPage
{
    private const int RecoveryCodeCount = 10;

    private PortalUser? user;
    private bool enabled;
    private int recoveryCodesLeft;
    private string? sharedKey;
    private string? qrCode;
    private string? message;
    private string? error;
    private IReadOnlyList<string>? recoveryCodes;

    [Inject]
    private UserManager<PortalUser> UserManager { get; set; } = default!;

    [Inject]
    private SignInManager<PortalUser> SignInManager { get; set; } = default!;

    [Inject]
    private IUserStore<PortalUser> UserStore { get; set; } = default!;

    [Inject]
    private IdentityRedirectManager RedirectManager { get; set; } = default!;

    [Inject]
    private AuditLog Audit { get; set; } = default!;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "enable-2fa")]
    private VerifyInput Verify { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "disable-2fa")]
    private DisableInput Disable { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "required")]
    private bool Required { get; set; }

    protected override async Task OnInitializedAsync()
    {
        Verify ??= new();
        Disable ??= new();
        user = await UserManager.GetUserAsync(HttpContext.User);
        if (user is null)
        {
            RedirectManager.RedirectTo("Account/Login");
            return;
        }

        await LoadAsync(user);
    }

    private async Task LoadAsync(PortalUser current)
    {
        enabled = await UserManager.GetTwoFactorEnabledAsync(current);
        recoveryCodesLeft = enabled ? await UserManager.CountRecoveryCodesAsync(current) : 0;
        if (enabled)
        {
            return;
        }

        var key = await UserManager.GetAuthenticatorKeyAsync(current);
        if (string.IsNullOrEmpty(key))
        {
            key = await StorePendingKeyAsync(current);
        }

        sharedKey = AuthenticatorSetup.FormatKey(key);
        qrCode = AuthenticatorSetup.QrCodeDataUri(AuthenticatorSetup.OtpAuthUri(current.Email ?? current.UserName ?? "", key));
    }

    /// <summary>
    /// A key for a second factor that is not on yet. Identity's ResetAuthenticatorKeyAsync would also rotate the
    /// security stamp, and merely opening this page would sign the user out of every other browser at the next
    /// stamp check; the stamp rotates only when the second factor really changes (enable, disable).
    /// </summary>
    private async Task<string> StorePendingKeyAsync(PortalUser current)
    {
        var key = UserManager.GenerateNewAuthenticatorKey();
        await ((IUserAuthenticatorKeyStore<PortalUser>)UserStore).SetAuthenticatorKeyAsync(current, key, HttpContext.RequestAborted);
        var saved = await UserManager.UpdateAsync(current);
        if (!saved.Succeeded)
        {
            throw new InvalidOperationException("The authenticator key could not be saved: " + string.Join(" ", saved.Errors.Select(e => e.Description)));
        }

        return key;
    }

    private async Task EnableAsync()
    {
        if (user is null || enabled)
        {
            return;
        }

        var code = AuthenticatorSetup.Normalize(Verify.Code);
        if (!await UserManager.VerifyTwoFactorTokenAsync(user, UserManager.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            error = "That code is not right. Check the time on your phone and enter the code the app shows now.";
            return;
        }

        await UserManager.SetTwoFactorEnabledAsync(user, true);
        recoveryCodes = [.. await UserManager.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        await SignInManager.RefreshSignInAsync(user);
        await RecordAsync(AuditActions.UserTwoFactorEnabled);
        message = "Two-factor sign-in is on. From now on the portal asks for a code from your app after your password.";
        await LoadAsync(user);
    }

    private async Task DisableAsync()
    {
        if (user is null || !enabled)
        {
            return;
        }

        if (!await UserManager.CheckPasswordAsync(user, Disable.Password))
        {
            error = "The password is not right.";
            return;
        }

        await UserManager.SetTwoFactorEnabledAsync(user, false);
        // A later set-up starts from a fresh key, so a phone that still holds the old one is useless.
        await UserManager.ResetAuthenticatorKeyAsync(user);
        await SignInManager.RefreshSignInAsync(user);
        await RecordAsync(AuditActions.UserTwoFactorDisabled);
        message = "Two-factor sign-in is off.";
        await LoadAsync(user);
    }

    private async Task RenewRecoveryCodesAsync()
    {
        if (user is null || !enabled)
        {
            return;
        }

        recoveryCodes = [.. await UserManager.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        await RecordAsync(AuditActions.UserRecoveryCodesRenewed);
        message = "New recovery codes made; the old ones no longer work.";
        await LoadAsync(user);
    }

    private Task RecordAsync(string action) =>
        Audit.RecordAsync(AuditActor.From(HttpContext), action, AuditTargets.User(user!.Id), user.Email);
}
