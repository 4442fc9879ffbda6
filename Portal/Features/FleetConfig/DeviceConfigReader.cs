using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Features.Groups;

namespace Portal.Features.FleetConfig;

/// <summary>Reads every level's config and secrets at once for resolving <c>${config:}</c> and <c>${secret:}</c> per device.</summary>
public sealed partial class DeviceConfigReader(IDbContextFactory<PortalDbContext> dbFactory, GroupService groups, SecretProtector protector, ILogger<DeviceConfigReader> logger)
{
    public async Task<FleetConfigSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sets = await db.ConfigSets.AsNoTracking().ToListAsync(cancellationToken);
        var stored = await db.ConfigSecrets.AsNoTracking().ToListAsync(cancellationToken);
        if (sets.Count == 0 && stored.Count == 0)
        {
            return FleetConfigSnapshot.Empty;
        }

        var secrets = new List<(ConfigSecret, string)>();
        foreach (var secret in stored)
        {
            try
            {
                secrets.Add((secret, protector.Unprotect(secret.ProtectedValue)));
            }
            catch (CryptographicException ex)
            {
                // Never the value: the name and level say which one to set again.
                LogUnreadable(logger, secret.Name, secret.Level.ToString(), ex.Message);
            }
        }

        var memberships = (await groups.ListAsync(cancellationToken)).OrderBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => (g.Id, (IReadOnlySet<string>)g.Members.Select(m => m.DeviceId).ToHashSet(StringComparer.Ordinal))).ToList();
        var holds = (await db.ConfigRollouts.AsNoTracking().Where(r => r.State == Portal.Shared.Deployments.DeploymentState.InProgress
                || r.State == Portal.Shared.Deployments.DeploymentState.Paused || r.State == Portal.Shared.Deployments.DeploymentState.Aborted).ToListAsync(cancellationToken))
            .Select(r => new ConfigHold(r.Level, r.OwnerId, r.PreviousValues, r.PreviousFiles,
                r.Targets.Where(t => t.ReleasedAt is null).Select(t => t.DeviceId).ToHashSet(StringComparer.Ordinal)))
            .Where(h => h.Devices.Count > 0).ToList();
        return new FleetConfigSnapshot(sets, secrets, memberships, holds);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The secret {Name} ({Level}) could not be decrypted (were the data-protection keys replaced?); set it again: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string name, string level, string error);
}
