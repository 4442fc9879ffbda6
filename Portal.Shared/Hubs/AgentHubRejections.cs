namespace Portal.Shared.Hubs;

/// <summary>
/// How the portal's agent hub says no. The portal builds every refusal's text from these constants
/// (<see cref="Message"/>), and the agent reads them back with <see cref="Parse"/>, so neither side matches hand-typed text.
/// </summary>
public static class AgentHubRejections
{
    public const string Inventory = "Inventory rejected";
    public const string Heartbeat = "Heartbeat rejected";
    public const string Telemetry = "Telemetry rejected";
    public const string DeviceData = "Device data rejected";
    public const string WorkloadReport = "Workload report rejected";
    public const string InferenceMetrics = "Inference metrics rejected";
    public const string ProfileReport = "Profile report rejected";
    public const string Logs = "Logs rejected";
    public const string ActionReport = "Action report rejected";
    public const string TooManyCalls = "Too many calls";

    private const string Separator = ": ";

    public static IReadOnlyList<string> All { get; } =
        [Inventory, Heartbeat, Telemetry, DeviceData, WorkloadReport, InferenceMetrics, ProfileReport, Logs, ActionReport, TooManyCalls];

    /// <summary>The text the portal sends: "Telemetry rejected: {reason}".</summary>
    public static string Message(string rejection, string reason) => $"{rejection}{Separator}{reason}";

    /// <summary>
    /// Which refusal an error from the hub carries and why, or null when it is none of them. The client sees the portal's
    /// text after SignalR's own prefix ("An unexpected error occurred invoking 'X' on the server. HubException: ...").
    /// </summary>
    public static (string Rejection, string Reason)? Parse(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return null;
        }

        foreach (var rejection in All)
        {
            var marker = rejection + Separator;
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                return (rejection, message[(at + marker.Length)..]);
            }
        }

        return null;
    }
}
