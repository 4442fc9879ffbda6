using System.Security.Claims;
using Portal.Security;
using Portal.Shared.Security;

namespace Portal.Features.Audit;

/// <summary>Who did something, as the audit log records it: a user, a user's access token, a device, or the portal itself.</summary>
public sealed record AuditActor(string Kind, string? Id, string Name, string? Ip)
{
    public const string User = "User";
    public const string Token = "Token";
    public const string Device = "Device";
    public const string SystemKind = "System";
    public const string Anonymous = "Anonymous";

    public static AuditActor System { get; } = new(SystemKind, null, "portal", null);

    /// <summary>The principal of a request or a circuit, with the address it came from.</summary>
    public static AuditActor From(ClaimsPrincipal? principal, string? ip)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return new AuditActor(Anonymous, null, "anonymous", ip);
        }

        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.Identity.Name ?? id ?? "unknown";
        if (principal.FindFirstValue(PortalClaims.TokenId) is { } tokenId)
        {
            return new AuditActor(Token, tokenId, $"token '{principal.FindFirstValue(PortalClaims.TokenName)}' of {name}", ip);
        }

        return principal.IsInRole(PortalRoles.Device) ? new AuditActor(Device, id, name, ip) : new AuditActor(User, id, name, ip);
    }

    /// <summary>An HTTP request's caller and remote address.</summary>
    public static AuditActor From(HttpContext context) => From(context.User, context.Connection.RemoteIpAddress?.ToString());
}
