using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;

namespace Portal.Features.Marketplace;

/// <summary>The marketplace catalog: admins add, edit, certify and retire apps; everyone may read it.</summary>
public sealed class MarketplaceService(IDbContextFactory<PortalDbContext> dbFactory, Notifier<AppDto> changes, AuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<AppDto>> ListAsync(bool includeRetired = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var apps = await db.MarketplaceApps.AsNoTracking().Where(a => includeRetired || !a.Retired).OrderBy(a => a.Name).ToListAsync(cancellationToken);
        return apps.Select(ToDto).ToList();
    }

    public async Task<AppDto?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var app = await db.MarketplaceApps.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return app is null ? null : ToDto(app);
    }

    public async Task<OperationResult<AppDto>> CreateAsync(AppDefinition? definition, bool certified, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (AppValidator.Problem(definition) is { } problem)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.MarketplaceApps.AnyAsync(a => a.Id == definition!.Id, cancellationToken))
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.Conflict, $"An app with the id '{definition!.Id}' already exists; edit it or add a version instead.");
        }

        var now = clock.GetUtcNow();
        var app = new MarketplaceApp { Id = definition!.Id, Name = definition.Name, CreatedAt = now };
        Apply(app, definition, now);
        if (certified)
        {
            (app.Certified, app.CertifiedAt, app.CertifiedBy) = (true, now, actor.Name);
        }

        db.MarketplaceApps.Add(app);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.AppAdded, AuditTargets.App(app.Id), app.Name,
            detail: $"versions {Versions(app)}{(certified ? ", certified" : "")}", ct: cancellationToken);
        return Done(app);
    }

    /// <summary>Replaces the app's details and versions. The id cannot change: deployments and devices refer to it.</summary>
    public async Task<OperationResult<AppDto>> UpdateAsync(string id, AppDefinition? definition, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (AppValidator.Problem(definition) is { } problem)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.Invalid, problem);
        }

        if (definition!.Id != id)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.Invalid, $"The id in the body ('{definition.Id}') must be the app's id ('{id}').");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var app = await db.MarketplaceApps.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (app is null)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.NotFound, "There is no such app.");
        }

        if (await VersionsInUseProblemAsync(db, app, definition, cancellationToken) is { } inUse)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.Conflict, inUse);
        }

        Apply(app, definition, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.AppChanged, AuditTargets.App(app.Id), app.Name, detail: $"versions {Versions(app)}", ct: cancellationToken);
        return Done(app);
    }

    /// <summary>
    /// A version may leave the catalog only when no active deployment uses it: rolling back, pausing or redeploying
    /// needs it to stay (what runs is the deployment's own copy, so nothing would stop, but the operator would lose it).
    /// </summary>
    private static async Task<string?> VersionsInUseProblemAsync(PortalDbContext db, MarketplaceApp app, AppDefinition definition, CancellationToken ct)
    {
        var removed = app.Versions.Select(v => v.Version).Except(definition.Versions.Select(v => v.Version), StringComparer.Ordinal).ToList();
        if (removed.Count == 0)
        {
            return null;
        }

        var users = await db.Deployments.AsNoTracking()
            .Where(d => d.SourceId == app.Id && d.Spec != null && d.State != DeploymentState.RolledBack && removed.Contains(d.Version))
            .OrderBy(d => d.Name).Select(d => new { d.Name, d.Version, d.State }).ToListAsync(ct);
        return users.Count == 0 ? null
            : $"Version {string.Join(", ", users.Select(u => u.Version).Distinct())} of {app.Name} cannot be removed: active deployments use it: " +
              string.Join(", ", users.Take(10).Select(u => $"'{u.Name}' ({u.Version}, {u.State})")) + (users.Count > 10 ? $" and {users.Count - 10} more" : "") +
              ". Roll back or delete those deployments first.";
    }

    public async Task<OperationResult<AppDto>> CertifyAsync(string id, bool certified, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var app = await db.MarketplaceApps.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (app is null)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.NotFound, "There is no such app.");
        }

        if (certified && app.Retired)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.Conflict, "A retired app cannot be certified.");
        }

        var now = clock.GetUtcNow();
        (app.Certified, app.CertifiedAt, app.CertifiedBy, app.UpdatedAt) = (certified, certified ? now : null, certified ? actor.Name : null, now);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, certified ? AuditActions.AppCertified : AuditActions.AppWithdrawn, AuditTargets.App(app.Id), app.Name, ct: cancellationToken);
        return Done(app);
    }

    /// <summary>Retires an app: no new deployments; what already runs keeps running.</summary>
    public async Task<OperationResult<AppDto>> RetireAsync(string id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var app = await db.MarketplaceApps.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (app is null)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.NotFound, "There is no such app.");
        }

        (app.Retired, app.Certified, app.UpdatedAt) = (true, false, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.AppRetired, AuditTargets.App(app.Id), app.Name, ct: cancellationToken);
        return Done(app);
    }

    private OperationResult<AppDto> Done(MarketplaceApp app)
    {
        var dto = ToDto(app);
        changes.Publish(dto);
        return OperationResult<AppDto>.Ok(dto);
    }

    private static string Versions(MarketplaceApp app) => string.Join(", ", app.Versions.Select(v => v.Version));

    private static void Apply(MarketplaceApp app, AppDefinition definition, DateTimeOffset now)
    {
        app.Name = definition.Name.Trim();
        app.Publisher = definition.Publisher.Trim();
        app.Category = definition.Category.Trim();
        app.Description = definition.Description?.Trim() ?? "";
        app.IconUrl = IconUrl(definition.Icon);
        app.Versions = definition.Versions.ToList();
        app.UpdatedAt = now;
    }

    /// <summary>A bare file name is a shipped icon under /assets/marketplace; an http(s) or root-relative URL is kept; anything else gets the default.</summary>
    private static string IconUrl(string? icon) =>
        string.IsNullOrWhiteSpace(icon) ? ""
        : icon.StartsWith("https://", StringComparison.Ordinal) || (icon.StartsWith('/') && !icon.StartsWith("//", StringComparison.Ordinal)) ? icon
        : !icon.Contains('/', StringComparison.Ordinal) && !icon.Contains("..", StringComparison.Ordinal) ? $"/assets/marketplace/{Uri.EscapeDataString(icon)}"
        : "";

    public static AppDto ToDto(MarketplaceApp a) => new(
        a.Id, a.Name, a.Publisher, a.Category, a.Description, a.IconUrl, a.Certified, a.CertifiedAt, a.CertifiedBy, a.Retired, a.Versions, a.CreatedAt, a.UpdatedAt);
}
