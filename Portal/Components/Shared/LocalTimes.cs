using System.Globalization;

namespace Portal.Components.Shared;

/// <summary>
/// Times as the person reading the page lives them: in the browser's zone, with the zone named. Until the zone is known
/// (prerendering, or a browser that does not say), times are UTC and say so.
/// </summary>
public static class LocalTimes
{
    public const string Minutes = "yyyy-MM-dd HH:mm";
    public const string Seconds = "yyyy-MM-dd HH:mm:ss";

    /// <summary>"2026-12-04 17:21 UTC+1" in Madrid; "2026-12-04 16:21 UTC" when the zone is not known.</summary>
    public static string Format(DateTimeOffset value, TimeZoneInfo? zone, string format = Minutes)
    {
        var local = ToZone(value, zone);
        return $"{local.ToString(format, CultureInfo.InvariantCulture)} {ZoneName(local.Offset)}";
    }

    public static DateTimeOffset ToZone(DateTimeOffset value, TimeZoneInfo? zone) =>
        zone is null ? value.ToUniversalTime() : TimeZoneInfo.ConvertTime(value, zone);

    /// <summary>"UTC", "UTC+1", "UTC+5:30", "UTC-3": an offset reads the same in every language, an abbreviation does not.</summary>
    public static string ZoneName(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            return "UTC";
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0
            ? string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}")
            : string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}:{abs.Minutes:00}");
    }

    /// <summary>The zone a browser names (an IANA id such as "Europe/Madrid"), or null when this machine does not know it.</summary>
    public static TimeZoneInfo? Find(string? ianaId)
    {
        if (string.IsNullOrWhiteSpace(ianaId))
        {
            return null;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) ? zone : null;
    }
}
