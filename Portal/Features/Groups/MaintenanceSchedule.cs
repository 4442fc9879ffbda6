using System.Globalization;
using Portal.Shared.Devices;

namespace Portal.Features.Groups;

/// <summary>
/// Pure: weekly maintenance windows in their own time zones. Whether one is open at an instant, and if not when the next
/// one opens; a window's local start that a daylight-saving jump skips starts at the first valid minute after it.
/// </summary>
public static class MaintenanceSchedule
{
    public const int MaxWindows = 20;

    private static readonly string[] DayNames = Enum.GetNames<DayOfWeek>();

    /// <summary>Null when every window is valid; otherwise a sentence naming the first problem.</summary>
    public static string? Problem(IReadOnlyList<MaintenanceWindow>? windows)
    {
        if (windows is null)
        {
            return "Send the windows as a list (an empty list removes them).";
        }

        if (windows.Count > MaxWindows)
        {
            return $"A group can have at most {MaxWindows} maintenance windows.";
        }

        for (var i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            var which = $"Window {i + 1}";
            if (w is null)
            {
                return $"{which} is empty.";
            }

            if (w.Days is not { Count: > 0 } || w.Days.Any(d => Day(d) is null))
            {
                return $"{which}: say its days as Monday … Sunday (or Mon … Sun){(w.Days?.FirstOrDefault(d => Day(d) is null) is { } bad ? $", not '{Shorten(bad)}'" : "")}.";
            }

            if (!TimeOnly.TryParseExact(w.Start ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return $"{which}: its start must be a time of day as HH:mm (\"02:00\"), not '{Shorten(w.Start ?? "")}'.";
            }

            if (w.DurationMinutes is < 1 or > 7 * 24 * 60)
            {
                return $"{which}: its duration must be between 1 minute and 7 days (10080 minutes).";
            }

            if (Zone(w.TimeZone) is null)
            {
                return $"{which}: '{Shorten(w.TimeZone ?? "")}' is not a time zone this portal knows: use an IANA name such as Europe/Madrid or America/Chicago, or UTC.";
            }
        }

        return null;
    }

    /// <summary>The same windows with full day names, in week order (Monday first, as ISO 8601 and most sites count).</summary>
    public static List<MaintenanceWindow> Normalize(IReadOnlyList<MaintenanceWindow> windows) =>
        [.. windows.Select(w => w with { Days = [.. w.Days.Select(d => Day(d)!.Value).Distinct().OrderBy(d => ((int)d + 6) % 7).Select(d => d.ToString())], TimeZone = w.TimeZone.Trim() })];

    /// <summary>
    /// Null when there are no windows or one is open at <paramref name="now"/>; otherwise when the next one opens, and in
    /// which zone (for saying it in the site's time).
    /// </summary>
    public static (DateTimeOffset At, string TimeZone)? NextOpening(IReadOnlyList<MaintenanceWindow> windows, DateTimeOffset now)
    {
        (DateTimeOffset At, string TimeZone)? next = null;
        foreach (var w in windows)
        {
            if (Zone(w.TimeZone) is not { } zone || !TimeOnly.TryParseExact(w.Start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            {
                continue;
            }

            var days = w.Days.Select(Day).OfType<DayOfWeek>().ToHashSet();
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
            // Yesterday's window may still be open (past midnight, or a week long); the next one is at most a week away.
            for (var offset = -7; offset <= 7; offset++)
            {
                var date = today.AddDays(offset);
                if (!days.Contains(date.DayOfWeek))
                {
                    continue;
                }

                var opens = Instant(date.ToDateTime(start), zone);
                if (opens <= now && now < opens.AddMinutes(w.DurationMinutes))
                {
                    return null;
                }

                if (opens > now && (next is null || opens < next.Value.At))
                {
                    next = (opens, w.TimeZone);
                }
            }
        }

        return next;
    }

    /// <summary>"Tue 8 Dec 02:00 Europe/Madrid".</summary>
    public static string Describe(DateTimeOffset at, string timeZone) =>
        Zone(timeZone) is { } zone
            ? $"{TimeZoneInfo.ConvertTime(at, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture)} {timeZone}"
            : at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone)
    {
        // A start inside a spring-forward gap begins when the clocks resume; an ambiguous one at its first occurrence.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    private static DayOfWeek? Day(string? name)
    {
        var text = (name ?? "").Trim();
        var match = DayNames.FirstOrDefault(d => string.Equals(d, text, StringComparison.OrdinalIgnoreCase)
            || (text.Length == 3 && d.StartsWith(text, StringComparison.OrdinalIgnoreCase)));
        return match is null ? null : Enum.Parse<DayOfWeek>(match);
    }

    private static TimeZoneInfo? Zone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
