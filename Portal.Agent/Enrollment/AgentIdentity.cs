using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Connection;

namespace Portal.Agent.Enrollment;

/// <summary>Loads the saved device identity, or enrolls with the token once and saves it.</summary>
public sealed partial class AgentIdentity(IOptions<AgentOptions> options, IHttpClientFactory httpFactory, TimeProvider clock, ILogger<AgentIdentity> logger)
{
    /// <summary>The credentials, or null when the agent cannot get any (the reason is logged).</summary>
    public async Task<AgentCredentials?> EnsureAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var store = new CredentialStore(o.DataDirectory);
        var saved = store.Load();
        if (saved is not null)
        {
            if (!string.IsNullOrEmpty(o.EnrollmentToken))
            {
                LogAlreadyEnrolled(logger, saved.DeviceId);
            }

            return saved;
        }

        if (string.IsNullOrEmpty(o.EnrollmentToken))
        {
            LogNotEnrolled(logger, store.FilePath);
            return null;
        }

        var portal = new Uri(o.PortalUrl!);
        var retry = new JitteredRetryPolicy(Random.Shared);
        using var http = httpFactory.CreateClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var enrolled = await EnrollmentClient.EnrollAsync(http, portal, o.EnrollmentToken, o.Name, cancellationToken);
                var credentials = new AgentCredentials(enrolled.DeviceId, enrolled.DeviceSecret, o.PortalUrl!, clock.GetUtcNow());
                store.Save(credentials);
                LogEnrolled(logger, enrolled.DeviceId, store.FilePath);
                return credentials;
            }
            catch (EnrollmentRefusedException refused)
            {
                LogRefused(logger, refused.Message);
                return null;
            }
            catch (Exception unreachable) when (unreachable is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var delay = retry.Delay(attempt);
                LogUnreachable(logger, portal, unreachable.Message, delay.TotalSeconds);
                await Task.Delay(delay, clock, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Enrolled as device {DeviceId}; credentials saved in {Path}")]
    private static partial void LogEnrolled(ILogger logger, string deviceId, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Already enrolled as device {DeviceId}; --enroll is ignored")]
    private static partial void LogAlreadyEnrolled(ILogger logger, string deviceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "This device is not enrolled yet ({Path} does not exist). Start it once with --enroll TOKEN (create a token on the portal's Enrollment tokens page).")]
    private static partial void LogNotEnrolled(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the portal at {Portal} to enroll ({Error}); retrying in {Seconds:F0} s")]
    private static partial void LogUnreachable(ILogger logger, Uri portal, string error, double seconds);
}
