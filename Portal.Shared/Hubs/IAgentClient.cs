namespace Portal.Shared.Hubs;

/// <summary>What the portal may call on a connected agent.</summary>
public interface IAgentClient
{
    /// <summary>The device was decommissioned: the connection closes and its secret stops working.</summary>
    Task Revoked(string reason);
}
