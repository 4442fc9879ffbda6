using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Models;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;

namespace Portal.Features.Marketplace;

/// <summary>Admins upload an app's icon (PNG, JPEG, WebP or GIF up to 256 KiB) or remove it; everyone signed in sees it.</summary>
public sealed class AppIconService(IDbContextFactory<PortalDbContext> dbFactory, AppIconStore store, Notifier<AppDto> changes, AuditLog audit)
{
    public async Task<OperationResult<AppDto>> SetAsync(string id, byte[] bytes, AuditActor actor, CancellationToken ct = default)
    {
        if (bytes.Length > AppIconStore.MaxBytes)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.TooLarge,
                $"The icon is larger than {AppIconStore.MaxBytes / 1024} KiB. Scale it down (icons show at most 96 px wide) and upload it again.");
        }

        if (ImageSniffer.ContentType(bytes) is not { } type)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.Invalid,
                $"This file is not a {ImageSniffer.Accepted} image. Upload one of those (SVG is not accepted: it can carry scripts).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var app = await db.MarketplaceApps.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (app is null)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.NotFound, "There is no such app.");
        }

        string version;
        try
        {
            version = await store.SaveAsync(id, bytes, ct);
        }
        catch (IOException ex) when (ArtifactStore.IsDiskFull(ex))
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.InsufficientStorage,
                "The portal's data disk is full, so the icon was not stored. Ask an administrator to free space in the data directory.");
        }

        app.IconUrl = $"{ApiRoutes.MarketplaceAppIcon(id)}?v={version}";
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, AuditActions.AppIconChanged, AuditTargets.App(app.Id), app.Name,
            detail: $"{type}, {bytes.Length / 1024.0:0.#} KiB", ct: ct);
        return Done(app);
    }

    /// <summary>Removes an uploaded icon (or a link to one): the app shows the generic icon.</summary>
    public async Task<OperationResult<AppDto>> RemoveAsync(string id, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var app = await db.MarketplaceApps.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (app is null)
        {
            return OperationResult<AppDto>.Fail(OperationOutcome.NotFound, "There is no such app.");
        }

        app.IconUrl = "";
        await db.SaveChangesAsync(ct);
        store.Remove(id);
        await audit.RecordAsync(actor, AuditActions.AppIconRemoved, AuditTargets.App(app.Id), app.Name, ct: ct);
        return Done(app);
    }

    public Task<(byte[] Bytes, string ContentType)?> LoadAsync(string id, CancellationToken ct) => store.LoadAsync(id, ct);

    private OperationResult<AppDto> Done(Data.MarketplaceApp app)
    {
        var dto = MarketplaceService.ToDto(app);
        changes.Publish(dto);
        return OperationResult<AppDto>.Ok(dto);
    }
}
