using System.Net;
using Microsoft.AspNetCore.SignalR.Client;

namespace Portal.Agent.Connection;

/// <summary>
/// Exponential backoff from 1 s up to 60 s, each delay drawn between half and all of its ceiling, so thousands of agents do not reconnect in step after a
/// portal restart. Never gives up, except when the portal says the credentials are no longer valid.
/// </summary>
public sealed class JitteredRetryPolicy(Random random) : IRetryPolicy
{
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    /// <summary>Set when a reconnect was given up because the portal refused the credentials.</summary>
    public Exception? Refusal { get; private set; }

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        if (IsRefusal(retryContext.RetryReason))
        {
            Refusal = retryContext.RetryReason;
            return null;
        }

        return Delay(retryContext.PreviousRetryCount);
    }

    public TimeSpan Delay(long attempt)
    {
        var ceiling = Math.Min(Max.TotalMilliseconds, 1000 * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (random.NextDouble() * ceiling / 2));
    }

    public static bool IsRefusal(Exception? exception) =>
        exception is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden };
}
