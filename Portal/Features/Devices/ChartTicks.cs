using System.Globalization;
using Portal.Components.Shared;

namespace Portal.Features.Devices;

/// <summary>The labels under a telemetry chart: about six, in the reader's zone, none the same as the one before.</summary>
public static class ChartTicks
{
    public static string[] Labels(IReadOnlyList<DateTimeOffset> points, TimeSpan window, TimeZoneInfo? zone, int ticks = 6)
    {
        var format = window > TimeSpan.FromDays(1) ? "MM-dd HH:mm" : "HH:mm";
        var every = Math.Max(1, points.Count / ticks);
        var labels = new string[points.Count];
        string? previous = null;
        for (var i = 0; i < points.Count; i++)
        {
            labels[i] = "";
            if (i % every != 0)
            {
                continue;
            }

            var text = LocalTimes.ToZone(points[i], zone).ToString(format, CultureInfo.InvariantCulture);
            if (text != previous)
            {
                labels[i] = text;
                previous = text;
            }
        }

        return labels;
    }
}
