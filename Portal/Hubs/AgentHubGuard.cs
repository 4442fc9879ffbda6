using Microsoft.AspNetCore.SignalR;
using Portal.Shared.Hubs;

namespace Portal.Hubs;

/// <summary>
/// Every call on the agent hub passes here: over its call budget a device is refused before the method runs, and any
/// refusal (budget or a method's own <see cref="HubException"/>) is logged through <see cref="HubRejectionLog"/>, so a
/// flooding device costs neither the database nor the log.
/// </summary>
internal sealed class AgentHubGuard(AgentRateLimits limits, HubRejectionLog rejections) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var deviceId = invocationContext.Context.UserIdentifier ?? invocationContext.Context.ConnectionId;
        var method = invocationContext.HubMethodName;
        if (!limits.TryCall(deviceId))
        {
            rejections.Record(deviceId, method, "too many calls");
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.TooManyCalls, "this device is over its call budget on the portal; slow down and try again in a second."));
        }

        try
        {
            return await next(invocationContext);
        }
        catch (HubException refused)
        {
            rejections.Record(deviceId, method, refused.Message);
            throw;
        }
    }
}
