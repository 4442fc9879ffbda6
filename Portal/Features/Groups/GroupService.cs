using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Devices;
using Portal.Shared.Devices;

namespace Portal.Features.Groups;

/// <summary>Device groups: static members plus label-selector matches, computed whenever they are read.</summary>
public sealed class GroupService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, AuditLog audit) : IDeviceGroups
{
    private sealed record DeviceFacts(string Id, string Name, Dictionary<string, string> Labels);

    public async Task<IReadOnlyList<GroupDto>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var devices = await ActiveDevicesAsync(db, cancellationToken);
        var groups = await db.Groups.AsNoTracking().OrderBy(g => g.Name).ToListAsync(cancellationToken);
        return groups.Select(g => ToDto(g, devices)).ToList();
    }

    public async Task<GroupDto?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(g => g.Id == id);

    /// <summary>The groups a device is in, by name.</summary>
    public async Task<IReadOnlyList<GroupDto>> GroupsOfAsync(string deviceId, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).Where(g => g.Members.Any(m => m.DeviceId == deviceId)).ToList();

    /// <summary>
    /// A display name for each group id a deployment names: the group's name, or "deleted group NAME" (from the audit
    /// log) for one deleted while it was still targeted, so no page shows a raw id.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> DisplayNamesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.Groups.AsNoTracking().Where(g => ids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, StringComparer.Ordinal, cancellationToken);
        var missing = ids.Where(id => !names.ContainsKey(id)).Select(AuditTargets.Group).ToList();
        var deleted = await db.AuditLog.AsNoTracking()
            .Where(a => a.Action == AuditActions.GroupDeleted && missing.Contains(a.Target!))
            .Select(a => new { a.Target, a.TargetName }).ToListAsync(cancellationToken);
        foreach (var id in ids.Where(id => !names.ContainsKey(id)))
        {
            var name = deleted.FirstOrDefault(d => d.Target == AuditTargets.Group(id))?.TargetName;
            names[id] = name is null ? "a deleted group" : $"deleted group {name}";
        }

        return names;
    }

    public async Task<OperationResult<GroupDto>> SaveAsync(string? id, SaveGroupRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var name = request.Name?.Trim() ?? "";
        var description = request.Description?.Trim() ?? "";
        var statics = (request.StaticMembers ?? []).Distinct().ToList();
        var problem = name.Length is 0 or > 100 ? "Give the group a name of 1 to 100 characters."
            : description.Length > 1000 ? "The description can be at most 1000 characters."
            : (PlainText.Problem(name, "group name") ?? PlainText.Problem(description, "description", multiline: true)
                ?? statics.Select(s => PlainText.Problem(s, "device id")).FirstOrDefault(p => p is not null)) is { } text ? text
            : Labels.Problem(request.Selector);
        if (problem is not null)
        {
            return Fail(OperationOutcome.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = await db.Devices.Where(d => statics.Contains(d.Id)).Select(d => d.Id).ToListAsync(cancellationToken);
        if (statics.Except(known).ToList() is [_, ..] unknown)
        {
            var listed = string.Join(", ", unknown.Take(5)) + (unknown.Count > 5 ? $" and {unknown.Count - 5} more" : "");
            return Fail(OperationOutcome.Invalid, $"There is no device with the id {listed}.");
        }

        if (await db.Groups.AnyAsync(g => g.Name == name && g.Id != id, cancellationToken))
        {
            return Fail(OperationOutcome.Conflict, $"A group named '{name}' already exists.");
        }

        var group = id is null
            ? db.Groups.Add(new DeviceGroup { Name = name, CreatedAt = clock.GetUtcNow() }).Entity
            : await db.Groups.FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (group is null)
        {
            return Fail(OperationOutcome.NotFound, "There is no such group.");
        }

        group.Name = name;
        group.Description = description;
        group.Selector = request.Selector?.ToDictionary(StringComparer.Ordinal) ?? [];
        group.StaticMembers = statics;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, id is null ? AuditActions.GroupCreated : AuditActions.GroupChanged, AuditTargets.Group(group.Id), name,
            detail: $"selector {(group.Selector.Count == 0 ? "(none)" : LabelText.Format(group.Selector))}, {statics.Count} static member(s)", ct: cancellationToken);
        return OperationResult<GroupDto>.Ok(ToDto(group, await ActiveDevicesAsync(db, cancellationToken)));
    }

    /// <summary>Replaces the group's maintenance windows, checked; audited with what they are now.</summary>
    public async Task<OperationResult<IReadOnlyList<MaintenanceWindow>>> SaveWindowsAsync(string id, SaveMaintenanceWindowsRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        if (MaintenanceSchedule.Problem(request?.Windows) is { } problem)
        {
            return OperationResult<IReadOnlyList<MaintenanceWindow>>.Fail(OperationOutcome.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == id || g.Name == id, ct);
        if (group is null)
        {
            return OperationResult<IReadOnlyList<MaintenanceWindow>>.Fail(OperationOutcome.NotFound, "There is no such group.");
        }

        group.MaintenanceWindows = MaintenanceSchedule.Normalize(request!.Windows!);
        await db.SaveChangesAsync(ct);
        var described = group.MaintenanceWindows.Count == 0 ? "none: deployments may change its devices at any time"
            : string.Join("; ", group.MaintenanceWindows.Select(w => $"{string.Join(",", w.Days.Select(d => d[..3]))} {w.Start} for {w.DurationMinutes} min {w.TimeZone}"));
        await audit.RecordAsync(actor, AuditActions.GroupMaintenanceWindowsChanged, AuditTargets.Group(group.Id), group.Name, detail: described, ct: ct);
        return OperationResult<IReadOnlyList<MaintenanceWindow>>.Ok(group.MaintenanceWindows);
    }

    /// <summary>Who would be a member with this selector and these static members (for the dialog's preview); nothing is saved.</summary>
    public async Task<IReadOnlyList<GroupMember>> PreviewMembersAsync(IReadOnlyDictionary<string, string> selector, IReadOnlyCollection<string> statics, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var group = new DeviceGroup { Name = "preview", Selector = selector.ToDictionary(), StaticMembers = statics.ToList() };
        return ToDto(group, await ActiveDevicesAsync(db, cancellationToken)).Members;
    }

    private static async Task<List<DeviceFacts>> ActiveDevicesAsync(PortalDbContext db, CancellationToken ct) =>
        await db.Devices.AsNoTracking().Where(d => d.RevokedAt == null)
            .Select(d => new DeviceFacts(d.Id, d.Name, d.Labels)).ToListAsync(ct);

    private static GroupDto ToDto(DeviceGroup g, List<DeviceFacts> devices)
    {
        var statics = g.StaticMembers.ToHashSet(StringComparer.Ordinal);
        var members = devices
            .Select(d => new GroupMember(d.Id, d.Name, statics.Contains(d.Id), GroupMembership.Matches(g.Selector, d.Labels)))
            .Where(m => m.Static || m.MatchesSelector)
            .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new GroupDto(g.Id, g.Name, g.Description, g.Selector, g.StaticMembers, members, g.CreatedAt, g.MaintenanceWindows);
    }

    private static OperationResult<GroupDto> Fail(OperationOutcome outcome, string error) => OperationResult<GroupDto>.Fail(outcome, error);
}
