using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Portal.Shared.Security;
using Portal.Shared.Users;

namespace Portal.Features.Users;

public sealed partial class UsersPage
{
    private List<UserDto> users = [];
    private bool loading = true;
    private string search = "";
    private string? actingUserId;

    [Inject]
    private IUserAdminService Users { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private UserDto? LastAdmin =>
        users.Where(u => u.Roles.Contains(PortalRoles.Admin) && !u.IsLocked).ToList() is [var only] ? only : null;

    protected override async Task OnInitializedAsync()
    {
        actingUserId = (await AuthenticationState).User.FindFirstValue(ClaimTypes.NameIdentifier);
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        loading = true;
        users = [.. await Users.ListAsync()];
        loading = false;
    }

    private bool Matches(UserDto user) =>
        string.IsNullOrWhiteSpace(search)
        || user.Email.Contains(search, StringComparison.OrdinalIgnoreCase)
        || user.Roles.Any(r => r.Contains(search, StringComparison.OrdinalIgnoreCase));

    private UserProtection ProtectionOf(UserDto user) => UserProtection.For(user, users, actingUserId);

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateUserDialog>("New user", Options);
        if (await dialog.Result is { Canceled: false, Data: UserDto created })
        {
            Snackbar.Add($"Created {created.Email} as {string.Join(", ", created.Roles)}.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task ChangeRoleAsync(UserDto user)
    {
        var parameters = new DialogParameters<ChangeRoleDialog> { { d => d.User, user }, { d => d.ActingUserId, actingUserId ?? "" } };
        var dialog = await Dialogs.ShowAsync<ChangeRoleDialog>("Change role", parameters, Options);
        if (await dialog.Result is { Canceled: false, Data: UserDto changed })
        {
            Snackbar.Add($"{changed.Email} is now {string.Join(", ", changed.Roles)}.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task ToggleLockAsync(UserDto user)
    {
        var locking = !user.IsLocked;
        if (locking && !await ConfirmAsync("Lock user", $"Lock {user.Email}? They are signed out and can't sign in until unlocked.", "Lock", Icons.Material.Filled.Lock))
        {
            return;
        }

        var result = await Users.UpdateAsync(user.Id, new UpdateUserRequest(null, locking), actingUserId ?? "", await Client.ActorAsync());
        await ReportAsync(result, $"{user.Email} is {(locking ? "locked" : "unlocked")}.");
    }

    private async Task ResetPasswordAsync(UserDto user)
    {
        var dialog = await Dialogs.ShowAsync<ResetPasswordDialog>("Reset password",
            new DialogParameters<ResetPasswordDialog> { { d => d.User, user } }, Options);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add($"The password of {user.Email} was reset.", Severity.Success);
        }
    }

    private async Task DeleteAsync(UserDto user)
    {
        if (!await ConfirmAsync("Delete user", $"Delete {user.Email}? This can't be undone.", "Delete", Icons.Material.Filled.DeleteForever))
        {
            return;
        }

        var result = await Users.DeleteAsync(user.Id, actingUserId ?? "", await Client.ActorAsync());
        await ReportAsync(result, $"Deleted {user.Email}.");
    }

    private async Task<bool> ConfirmAsync(string title, string message, string confirmText, string icon)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, title }, { d => d.Message, message }, { d => d.ConfirmText, confirmText }, { d => d.Icon, icon },
        };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>(title, parameters, Options);
        return await dialog.Result is { Canceled: false };
    }

    private async Task ReportAsync(UserAdminResult result, string success)
    {
        Snackbar.Add(result.Succeeded ? success : result.Error ?? "The change failed.", result.Succeeded ? Severity.Success : Severity.Error);
        await ReloadAsync();
    }

    // No automatic focus move: a late one could carry keystrokes into another field.
    private static DialogOptions Options => new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, DefaultFocus = DefaultFocus.None };

    private static Color RoleColor(string role) => role switch
    {
        PortalRoles.Admin => Color.Secondary,
        PortalRoles.Operator => Color.Primary,
        _ => Color.Default,
    };

}
