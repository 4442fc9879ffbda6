using Portal.Agent.Enrollment;
using Portal.Shared.Hubs;

namespace Portal.Agent.Updates;

/// <summary>
/// What an update needs from each connect: the release key pinned (asked for once by an agent enrolled before keys were
/// handed out), and, once this version connected and reported its inventory, the end of its trial (the launcher then
/// stops counting down to a rollback).
/// </summary>
public sealed partial class UpdateCheckIn(AgentIdentity identity, ReleaseTrust trust, Microsoft.Extensions.Options.IOptions<Portal.Agent.Configuration.AgentOptions> options, ILogger<UpdateCheckIn> logger)
{
    /// <summary>At start, before any connect: the key pinned at enrollment (a release may be installed offline from the cache).</summary>
    public void Start(AgentCredentials credentials) => trust.Key ??= credentials.ReleaseKey;

    public async Task ConnectedAsync(IAgentHub hub, AgentCredentials credentials, bool inventoryReported)
    {
        trust.Key ??= credentials.ReleaseKey;
        if (trust.Key is null)
        {
            try
            {
                var key = await hub.GetReleaseKey();
                if (!string.IsNullOrEmpty(key))
                {
                    identity.PinReleaseKey(credentials, key);
                    trust.Key = key;
                    LogPinned(logger);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A portal from before releases: nothing to pin, nothing to install.
                LogNoKey(logger, ex.Message);
            }
        }

        if (inventoryReported && AgentInstall.Find(options.Value.Update.ResolvedHome).Install is { } install)
        {
            try
            {
                if (install.Commit())
                {
                    LogCommitted(logger, AgentWorker.Version);
                }
            }
            catch (IOException ex)
            {
                LogCommitFailed(logger, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pinned the portal's release key")]
    private static partial void LogPinned(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The portal gave no release key ({Error}); agent updates cannot be verified until it does")]
    private static partial void LogNoKey(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Version} connected and reported: its trial is over, it stays")]
    private static partial void LogCommitted(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not end the update trial ({Error}); the launcher may roll back")]
    private static partial void LogCommitFailed(ILogger logger, string error);
}
