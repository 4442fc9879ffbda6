using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Connection;
using Portal.Agent.Storage;

namespace Portal.Agent.Enrollment;

/// <summary>Loads the saved device identity, or enrolls with the token (given, in a file, or in the environment) once and saves it.</summary>
public sealed partial class AgentIdentity(IOptions<AgentOptions> options, IHttpClientFactory httpFactory, TimeProvider clock, ILogger<AgentIdentity> logger)
{
    /// <summary>
    /// The credentials, or null when the agent cannot get any (the reason is logged). Throws
    /// <see cref="CredentialsDamagedException"/> when the saved ones cannot be read.
    /// </summary>
    public async Task<AgentCredentials?> EnsureAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var store = new CredentialStore(o.DataDirectory);
        if (Saved(store) is { } saved)
        {
            if (!string.IsNullOrEmpty(o.EnrollmentToken) || !string.IsNullOrEmpty(o.EnrollmentTokenFile))
            {
                LogAlreadyEnrolled(logger, saved.DeviceId);
            }

            return saved;
        }

        if (EnrollmentTokenSource.Read(o, logger) is not { } token)
        {
            if (string.IsNullOrEmpty(o.EnrollmentTokenFile))
            {
                LogNotEnrolled(logger, store.FilePath);
            }

            return null;
        }

        var portal = new Uri(o.PortalUrl!);
        var retry = new JitteredRetryPolicy(Random.Shared);
        using var http = httpFactory.CreateClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var enrolled = await EnrollmentClient.EnrollAsync(http, portal, token, o.Name, cancellationToken);
                var credentials = new AgentCredentials(enrolled.DeviceId, enrolled.DeviceSecret, o.PortalUrl!, clock.GetUtcNow(), enrolled.ReleaseKey);
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

    /// <summary>Pins the portal's release key in the saved credentials (an agent enrolled before keys were handed out).</summary>
    public AgentCredentials PinReleaseKey(AgentCredentials credentials, string key)
    {
        var pinned = credentials with { ReleaseKey = key };
        new CredentialStore(options.Value.DataDirectory).Save(pinned);
        return pinned;
    }

    private AgentCredentials? Saved(CredentialStore store)
    {
        var read = store.Load();
        switch (read.Outcome)
        {
            case DurableReadOutcome.Damaged:
                throw new CredentialsDamagedException(
                    $"{store.FilePath} is damaged ({read.Problem}) and has no intact copy, so this agent cannot tell the portal which device it is: " +
                    $"restore the file from a backup, or decommission the device on the portal, move {store.FilePath} aside and enroll again with a new token (--enroll-file PATH).");
            case DurableReadOutcome.ReadFromBackup:
                LogRestoredFromBackup(logger, store.FilePath, read.Problem!);
                store.Save(read.Value!);
                return read.Value;
            default:
                return read.Value;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was damaged ({Problem}); restored it from its last good copy")]
    private static partial void LogRestoredFromBackup(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enrolled as device {DeviceId}; credentials saved in {Path}")]
    private static partial void LogEnrolled(ILogger logger, string deviceId, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Already enrolled as device {DeviceId}; the enrollment token is ignored")]
    private static partial void LogAlreadyEnrolled(ILogger logger, string deviceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "This device is not enrolled yet ({Path} does not exist). Start it once with --enroll TOKEN, --enroll-file PATH or the Agent__EnrollmentToken environment variable (create a token on the portal's Enrollment tokens page).")]
    private static partial void LogNotEnrolled(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the portal at {Portal} to enroll ({Error}); retrying in {Seconds:F0} s")]
    private static partial void LogUnreachable(ILogger logger, Uri portal, string error, double seconds);
}
