using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Agent.Enrollment;
using Portal.Shared.Hubs;
using Portal.Shared.Routes;

namespace Portal.Agent.Connection;

/// <summary>Builds the agent's hub connection: MessagePack, the device secret as bearer token, jittered reconnects.</summary>
public static class PortalConnection
{
    public static HubConnection Build(Uri portal, AgentCredentials credentials, JitteredRetryPolicy retry) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(portal, ApiRoutes.AgentHub), o => o.AccessTokenProvider = () => Task.FromResult<string?>(credentials.DeviceSecret))
            .AddMessagePackProtocol()
            .WithAutomaticReconnect(retry)
            .Build();

    public static IDisposable OnRevoked(this HubConnection connection, Action<string> handler) =>
        connection.On(nameof(IAgentClient.Revoked), handler);
}
