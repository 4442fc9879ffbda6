using Portal.Shared.Hubs;

namespace Portal.Agent.Connection;

/// <summary>The portal refused a call for what it carried (one of <see cref="AgentHubRejections"/>); sending it again will not help.</summary>
public sealed class AgentHubRejectedException(string rejection, string reason, Exception? inner = null)
    : Exception(AgentHubRejections.Message(rejection, reason), inner)
{
    /// <summary>Which refusal: one of the <see cref="AgentHubRejections"/> constants.</summary>
    public string Rejection { get; } = rejection;

    /// <summary>The portal's reason, for the log.</summary>
    public string Reason { get; } = reason;
}
