using System.Security.Claims;
using Portal.Shared.Security;

namespace Portal.Security;

internal static class UserRoles
{
    /// <summary>The most privileged role the user holds, for display.</summary>
    public static string Primary(ClaimsPrincipal user) =>
        PortalRoles.All.FirstOrDefault(user.IsInRole) ?? "No role";
}
