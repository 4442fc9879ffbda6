using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Groups;
using Portal.Shared.Config;

namespace Portal.Features.FleetConfig;

/// <summary>
/// A device's effective config: fleet, then the groups it is in by group name (ordinal, so "A" before "a"), then the
/// device. The order is a stable rule people can predict rather than a priority they must manage.
/// </summary>
public sealed class EffectiveConfigService(IDbContextFactory<PortalDbContext> dbFactory, GroupService groups, ConfigSetService sets)
{
    public async Task<OperationResult<EffectiveConfigDto>> GetAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Devices.AsNoTracking().Where(d => d.Id == deviceId).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken) is not { } name)
        {
            return OperationResult<EffectiveConfigDto>.Fail(OperationOutcome.NotFound, "There is no such device.");
        }

        var memberOf = (await groups.GroupsOfAsync(deviceId, cancellationToken)).OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        var scopes = new List<ConfigScope> { ConfigScope.Fleet };
        scopes.AddRange(memberOf.Select(g => ConfigScope.Group(g.Id)));
        scopes.Add(ConfigScope.Device(deviceId));
        var read = await sets.ReadAsync(scopes, cancellationToken);
        var sources = new List<string> { "fleet" };
        sources.AddRange(memberOf.Select(g => $"group {g.Name}"));
        sources.Add($"device {name}");
        return OperationResult<EffectiveConfigDto>.Ok(EffectiveConfig.Merge(deviceId, read.Select((s, i) => new EffectiveConfig.Layer(s, sources[i])).ToList()));
    }
}
