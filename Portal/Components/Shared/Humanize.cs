using System.Globalization;

namespace Portal.Components.Shared;

/// <summary>Times and sizes as a person reads them on a page.</summary>
public static class Humanize
{
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        return span.TotalMinutes < 1 ? "just now"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min ago"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours} h ago"
            : span.TotalDays < 30 ? $"{(int)span.TotalDays} days ago"
            : at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    public static string Until(DateTimeOffset at, DateTimeOffset now)
    {
        var span = at - now;
        return span <= TimeSpan.Zero ? "expired"
            : span.TotalHours < 1 ? $"in {Math.Max(1, (int)span.TotalMinutes)} min"
            : span.TotalDays < 2 ? $"in {(int)span.TotalHours} h"
            : $"in {(int)span.TotalDays} days";
    }

    /// <summary>A file's size: "3.2 KB", "14.7 MB" (decimal units, as file managers show them).</summary>
    public static string FileSize(long bytes) =>
        bytes < 1000 ? $"{bytes} B"
        : bytes < 1_000_000 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.#} KB")
        : bytes < 1_000_000_000 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.#} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.##} GB");

    public static string Bytes(long bytes) =>
        bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F1} GiB" : $"{bytes / (double)(1L << 20):F0} MiB";
}
