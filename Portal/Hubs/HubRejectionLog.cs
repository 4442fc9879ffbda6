using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Portal.Configuration;

namespace Portal.Hubs;

/// <summary>
/// Logs a device's refused hub calls once per <c>Portal:Security:AgentLimits:RejectionLogIntervalSeconds</c>: the first
/// at once, later ones counted and reported with the next line. One Warning line, no stack trace, whatever the flood.
/// </summary>
public sealed partial class HubRejectionLog(IOptions<PortalOptions> options, TimeProvider clock, ILogger<HubRejectionLog> logger)
{
    private readonly ConcurrentDictionary<string, State> states = new(StringComparer.Ordinal);

    private sealed class State
    {
        public DateTimeOffset? LoggedAt { get; set; }

        public int Suppressed { get; set; }
    }

    public void Record(string deviceId, string method, string problem)
    {
        var now = clock.GetUtcNow();
        var interval = TimeSpan.FromSeconds(options.Value.Security.AgentLimits.RejectionLogIntervalSeconds);
        var state = states.GetOrAdd(deviceId, _ => new State());
        int suppressed;
        lock (state)
        {
            if (state.LoggedAt is { } at && now - at < interval)
            {
                state.Suppressed++;
                return;
            }

            (suppressed, state.Suppressed, state.LoggedAt) = (state.Suppressed, 0, now);
        }

        LogRejected(logger, method, deviceId, Cut(problem), suppressed, (int)interval.TotalSeconds);
    }

    /// <summary>A refusal can quote what the device sent: one short line, no control characters to forge others.</summary>
    private static string Cut(string text)
    {
        var line = string.Concat(text.Take(300).Select(c => char.IsControl(c) || c is '\u202A' or '\u202B' or '\u202D' or '\u202E' or '\u2066' or '\u2067' or '\u2068' or '\u2069' ? '?' : c));
        return text.Length > 300 ? line + "…" : line;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Rejected {Method} from device {DeviceId}: {Problem} ({Suppressed} more rejections of this device before this one were not logged; at most one line per {Seconds} s)")]
    private static partial void LogRejected(ILogger logger, string method, string deviceId, string problem, int suppressed, int seconds);
}
