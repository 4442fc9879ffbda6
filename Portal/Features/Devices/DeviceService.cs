using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Devices;

namespace Portal.Features.Devices;

/// <summary>Devices as operators see them: stored facts joined with who is connected right now.</summary>
public sealed class DeviceService(
    IDbContextFactory<PortalDbContext> dbFactory,
    Portal.Features.Cluster.FleetPresence presence,
    DeviceEvents events,
    IDeviceGroups groups,
    AuditLog audit,
    TimeProvider clock)
{
    public Task<IReadOnlyList<DeviceDto>> ListAsync(CancellationToken cancellationToken = default) => ListAsync(null, cancellationToken);

    /// <summary>The devices, only those whose agent reports <paramref name="agentVersion"/> when it is given.</summary>
    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? agentVersion, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var devices = await db.Devices.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken);
        return [.. devices.Where(d => string.IsNullOrEmpty(agentVersion) || d.Inventory?.AgentVersion == agentVersion.Trim()).Select(ToDto)];
    }

    /// <summary>The agent versions devices report, each with how many (for the Devices page's filter).</summary>
    public async Task<IReadOnlyList<(string Version, int Devices)>> AgentVersionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var inventories = await db.Devices.AsNoTracking().Where(d => d.RevokedAt == null && d.Inventory != null).Select(d => d.Inventory).ToListAsync(ct);
        return [.. inventories.GroupBy(i => i!.AgentVersion, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).OrderByDescending(v => v.Key, StringComparer.Ordinal)];
    }

    /// <summary>One page for the Devices grid; filtering, sorting and paging happen in the database.</summary>
    public async Task<DevicePage> QueryAsync(DeviceQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var devices = db.Devices.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Case-insensitive on SQLite and PostgreSQL alike; % and _ are plain characters here.
            var search = query.Search.Trim();
            var lower = search.ToLowerInvariant();
            devices = devices.Where(d => d.Name.ToLower().Contains(lower) || d.Id == search);
        }

        if (await MatchingIdsAsync(db, query, cancellationToken) is { } matching)
        {
            devices = devices.Where(d => matching.Contains(d.Id));
        }

        // The row says which instance holds the device's connection: the filter works the same on every instance.
        devices = query.Status switch
        {
            DeviceStatus.Revoked => devices.Where(d => d.RevokedAt != null),
            DeviceStatus.Online => devices.Where(d => d.RevokedAt == null && d.ConnectedInstance != null),
            DeviceStatus.Offline => devices.Where(d => d.RevokedAt == null && d.ConnectedInstance == null),
            _ => devices,
        };
        var total = await devices.CountAsync(cancellationToken);
        IOrderedQueryable<Device> ordered = (query.SortBy, query.Descending) switch
        {
            (nameof(DeviceDto.EnrolledAt), false) => devices.OrderBy(d => d.EnrolledAt),
            (nameof(DeviceDto.EnrolledAt), true) => devices.OrderByDescending(d => d.EnrolledAt),
            (nameof(DeviceDto.LastSeenAt), false) => devices.OrderBy(d => d.LastSeenAt),
            (nameof(DeviceDto.LastSeenAt), true) => devices.OrderByDescending(d => d.LastSeenAt),
            (_, true) => devices.OrderByDescending(d => d.Name),
            _ => devices.OrderBy(d => d.Name),
        };
        var page = await ordered.ThenBy(d => d.Id)
            .Skip(Math.Max(0, query.Page) * Math.Clamp(query.PageSize, 1, 500))
            .Take(Math.Clamp(query.PageSize, 1, 500))
            .ToListAsync(cancellationToken);
        return new DevicePage(page.Select(ToDto).ToList(), total);
    }

    /// <summary>
    /// Devices with a label (<c>site=madrid</c>) and in a group; labels live in a JSON column, so this runs in memory
    /// over ids and labels only. Null when neither filter is set.
    /// </summary>
    private async Task<List<string>?> MatchingIdsAsync(PortalDbContext db, DeviceQuery query, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query.Label) && string.IsNullOrEmpty(query.GroupId) && string.IsNullOrEmpty(query.AgentVersion))
        {
            return null;
        }

        IEnumerable<string>? ids = null;
        if (!string.IsNullOrEmpty(query.AgentVersion))
        {
            // The version is in the inventory's JSON column: read ids and inventories only.
            var all = await db.Devices.AsNoTracking().Where(d => d.Inventory != null).Select(d => new { d.Id, d.Inventory }).ToListAsync(ct);
            ids = all.Where(d => d.Inventory!.AgentVersion == query.AgentVersion).Select(d => d.Id).ToList();
        }

        if (!string.IsNullOrWhiteSpace(query.Label))
        {
            var wanted = LabelText.Parse(query.Label).Labels ?? [];
            var all = await db.Devices.AsNoTracking().Select(d => new { d.Id, d.Labels }).ToListAsync(ct);
            var labelled = all.Where(d => GroupMembership.Matches(wanted, d.Labels)).Select(d => d.Id);
            ids = ids is null ? labelled : ids.Intersect(labelled);
        }

        if (!string.IsNullOrEmpty(query.GroupId))
        {
            var members = (await groups.GetAsync(query.GroupId, ct))?.Members.Select(m => m.DeviceId) ?? [];
            ids = ids is null ? members : ids.Intersect(members);
        }

        return ids!.ToList();
    }

    /// <summary>Devices in each state, for the dashboard.</summary>
    public async Task<(int Total, int Online, int Revoked)> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.Devices.CountAsync(cancellationToken);
        var revoked = await db.Devices.CountAsync(d => d.RevokedAt != null, cancellationToken);
        return (total, presence.OnlineCount, revoked);
    }

    public async Task<DeviceDto?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var device = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return device is null ? null : ToDto(device);
    }

    /// <summary>Replaces the device's labels; groups with selectors pick the change up at once.</summary>
    public async Task<OperationResult<DeviceDto>> SetLabelsAsync(string id, IReadOnlyDictionary<string, string>? labels, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var problem = labels is null ? "Send the device's labels." : Labels.Problem(labels);
        if (problem is not null)
        {
            return OperationResult<DeviceDto>.Fail(OperationOutcome.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (device is null)
        {
            return OperationResult<DeviceDto>.Fail(OperationOutcome.NotFound, "There is no such device.");
        }

        var before = LabelText.Format(device.Labels);
        device.Labels = labels!.ToDictionary(StringComparer.Ordinal);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.DeviceRelabelled, AuditTargets.Device(id), device.Name,
            detail: $"{Shown(before)} → {Shown(LabelText.Format(device.Labels))}", ct: cancellationToken);
        await events.RecordAsync(new DeviceEvent(id, device.Name, ToDto(device).Status, $"was relabelled ({LabelText.Format(device.Labels)})", clock.GetUtcNow()), cancellationToken);
        return OperationResult<DeviceDto>.Ok(ToDto(device));
    }

    private static string Shown(string labels) => labels.Length == 0 ? "(no labels)" : labels;

    public DeviceDto ToDto(Device d) => new(
        d.Id,
        d.Name,
        d.RevokedAt is not null ? DeviceStatus.Revoked : presence.IsOnline(d.Id) ? DeviceStatus.Online : DeviceStatus.Offline,
        d.EnrolledAt,
        presence.LastHeartbeat(d.Id) ?? d.LastSeenAt,
        d.Labels,
        d.Inventory);
}
