namespace Portal.Features.Notifications;

/// <summary>What one attempt came to. <see cref="Retry"/>: worth trying again later (a timeout, 5xx, 429, a 4xx SMTP reply); otherwise a failure is final.</summary>
public sealed record SendOutcome(bool Succeeded, bool Retry, int? StatusCode, string? Error)
{
    public static SendOutcome Ok(int? statusCode = null) => new(true, false, statusCode, null);

    public static SendOutcome TryAgain(string error, int? statusCode = null) => new(false, true, statusCode, error);

    public static SendOutcome GiveUp(string error, int? statusCode = null) => new(false, false, statusCode, error);

    /// <summary>An HTTP answer: 2xx worked; 408, 429 and 5xx are worth retrying; anything else (redirects included: they are not followed) is final.</summary>
    public static SendOutcome ForHttpStatus(int status) => status switch
    {
        >= 200 and < 300 => Ok(status),
        408 or 429 or >= 500 => TryAgain($"The receiver answered {status}.", status),
        _ => GiveUp($"The receiver answered {status}; not retried (fix the receiver or the URL, then send a test).", status),
    };
}
