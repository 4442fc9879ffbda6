using System.Security.Claims;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Features.Cluster;

namespace Portal.Hubs;

/// <summary>
/// Refuses agent connections beyond <c>Portal:Security:MaxAgentConnections</c> with 503 and Retry-After, before any
/// hub work is done; a device that is already connected may always reconnect. Agents back off and try again.
/// </summary>
internal sealed partial class AgentConnectionCap(RequestDelegate next, DeviceConnectionRegistry registry, IOptions<PortalOptions> options, ILogger<AgentConnectionCap> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var cap = options.Value.Security.MaxAgentConnections;
        var deviceId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (registry.OnlineCount >= cap && (deviceId is null || !registry.IsOnline(deviceId)))
        {
            LogRefused(logger, cap, deviceId ?? "unknown");
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "30";
            return context.Response.WriteAsync($"The portal holds its maximum of {cap} agent connections; try again later.");
        }

        return next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an agent connection: {Cap} agents are connected (device {DeviceId})")]
    private static partial void LogRefused(ILogger logger, int cap, string deviceId);
}
