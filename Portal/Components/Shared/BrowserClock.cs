using Microsoft.JSInterop;

namespace Portal.Components.Shared;

/// <summary>
/// The browser's time zone for one circuit, asked once through JS interop. The server's own zone says nothing about
/// the reader; before the browser has answered (prerendering), <see cref="Zone"/> is null and times show as UTC.
/// </summary>
public sealed partial class BrowserClock(IJSRuntime js, ILogger<BrowserClock> logger)
{
    public const string Module = "./Components/Shared/LocalTime.razor.js";

    private Task? detecting;

    public TimeZoneInfo? Zone { get; private set; }

    /// <summary>Asks the browser once per circuit; later calls share the answer. Call it after the first render.</summary>
    public Task DetectAsync() => detecting ??= DetectCoreAsync();

    private async Task DetectCoreAsync()
    {
        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", Module);
            var id = await module.InvokeAsync<string?>("timeZone");
            Zone = LocalTimes.Find(id);
            if (Zone is null)
            {
                LogUnknownZone(logger, id ?? "");
            }
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or TaskCanceledException or InvalidOperationException)
        {
            // A circuit that is going away, or a browser that refuses: times stay in UTC, named as such.
            LogNoZone(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The browser's time zone '{Zone}' is unknown here; times stay in UTC")]
    private static partial void LogUnknownZone(ILogger logger, string zone);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The browser's time zone could not be read ({Reason}); times stay in UTC")]
    private static partial void LogNoZone(ILogger logger, string reason);
}
