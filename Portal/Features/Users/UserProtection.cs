using Portal.Shared.Security;
using Portal.Shared.Users;

namespace Portal.Features.Users;

/// <summary>
/// Why an action is not offered for a user, in words for a tooltip; null where it is allowed.
/// The service enforces the same rules; this only explains them before anyone clicks.
/// </summary>
public sealed record UserProtection(string? Demote, string? Lock, string? Delete)
{
    public static UserProtection None { get; } = new(null, null, null);

    public static UserProtection For(UserDto user, IReadOnlyCollection<UserDto> all, string? actingUserId)
    {
        var activeAdmins = all.Count(u => u.Roles.Contains(PortalRoles.Admin) && !u.IsLocked);
        var lastAdmin = user.Roles.Contains(PortalRoles.Admin) && !user.IsLocked && activeAdmins <= 1;
        var self = user.Id == actingUserId;
        const string LastAdmin = "The last admin can't be {0}. Make another user an admin first.";
        return new UserProtection(
            lastAdmin ? string.Format(System.Globalization.CultureInfo.InvariantCulture, LastAdmin, "demoted") : null,
            self ? "You can't lock your own account." : lastAdmin ? string.Format(System.Globalization.CultureInfo.InvariantCulture, LastAdmin, "locked") : null,
            self ? "You can't delete your own account." : lastAdmin ? string.Format(System.Globalization.CultureInfo.InvariantCulture, LastAdmin, "deleted") : null);
    }
}
