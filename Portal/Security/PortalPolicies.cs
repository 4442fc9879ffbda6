using Microsoft.AspNetCore.Authorization;
using Portal.Shared.Security;

namespace Portal.Security;

/// <summary>
/// The four kinds of access, named once: endpoints say <c>RequireAuthorization(PortalPolicies.Change)</c> instead of
/// repeating role lists. Read: every signed-in person; Change: admins and operators; Admin: admins; Device: an agent
/// with its device secret.
/// </summary>
public static class PortalPolicies
{
    public const string Read = "read";
    public const string Change = "change";
    public const string Admin = "admin";
    public const string Device = "device";

    public static AuthorizationPolicy ReadPolicy { get; } =
        new AuthorizationPolicyBuilder().RequireRole(PortalRoles.Admin, PortalRoles.Operator, PortalRoles.Viewer).Build();

    public static AuthorizationBuilder AddPortalPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Read, ReadPolicy)
        .AddPolicy(Change, policy => policy.RequireRole(PortalRoles.Admin, PortalRoles.Operator))
        .AddPolicy(Admin, policy => policy.RequireRole(PortalRoles.Admin))
        .AddPolicy(Device, policy => policy.RequireRole(PortalRoles.Device))
        // Secure by default: an endpoint that says nothing requires a signed-in person (a device secret is not enough).
        .SetFallbackPolicy(ReadPolicy);
}
