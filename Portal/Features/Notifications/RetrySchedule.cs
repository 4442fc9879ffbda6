using Portal.Configuration;

namespace Portal.Features.Notifications;

/// <summary>When a failed delivery is tried again: the base wait, three times longer after each attempt, capped.</summary>
public static class RetrySchedule
{
    public static TimeSpan After(int attempts, NotificationOptions options)
    {
        var seconds = options.RetryBaseSeconds * Math.Pow(3, Math.Max(0, attempts - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, options.RetryMaxMinutes * 60.0));
    }
}
