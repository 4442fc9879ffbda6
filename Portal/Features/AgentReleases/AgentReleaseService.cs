using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Models;
using Portal.Security;
using Portal.Shared.AgentReleases;
using Portal.Shared.Deployments;

namespace Portal.Features.AgentReleases;

/// <summary>
/// Agent releases: uploaded by admins (a version and one build per architecture), stored content-addressed in the
/// artifact store, each build's manifest signed with the portal's release key; deleted only while no deployment uses them.
/// </summary>
public sealed partial class AgentReleaseService(IDbContextFactory<PortalDbContext> dbFactory, ArtifactStore store, ReleaseSigningKey signing, AuditLog audit, TimeProvider clock)
{
    /// <summary>A build staged from an upload: its architecture and the staged file.</summary>
    public sealed record StagedBuild(string Architecture, StagedFile File);

    public async Task<IReadOnlyList<AgentReleaseDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var releases = await db.AgentReleases.AsNoTracking().ToListAsync(ct);
        var versions = await AgentVersionsAsync(db, ct);
        return [.. releases.OrderByDescending(r => r.CreatedAt).Select(r => ToDto(r, versions))];
    }

    public async Task<AgentReleaseDto?> GetAsync(string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AgentReleases.AsNoTracking().FirstOrDefaultAsync(r => r.Version == version || r.Id == version, ct) is { } release
            ? ToDto(release, await AgentVersionsAsync(db, ct)) : null;
    }

    /// <summary>
    /// Makes a release of staged builds: the version is checked, each build must be an executable for its architecture;
    /// the builds are committed to the store and signed. The staged files are the caller's to discard on failure.
    /// </summary>
    public async Task<OperationResult<AgentReleaseDto>> CreateAsync(string? version, string? notes, IReadOnlyList<StagedBuild> builds, AuditActor actor, CancellationToken ct = default)
    {
        static OperationResult<AgentReleaseDto> Fail(OperationOutcome outcome, string problem) => OperationResult<AgentReleaseDto>.Fail(outcome, problem);

        version = version?.Trim();
        if (string.IsNullOrEmpty(version) || version.Length > 64 || !VersionPattern().IsMatch(version))
        {
            return Fail(OperationOutcome.Invalid, $"Say the release's version as major.minor.patch (\"0.5.1\", \"1.2.0-rc.1\"), the version stamped into the builds{(string.IsNullOrEmpty(version) ? "" : $", not '{Shorten(version)}'")}.");
        }

        if ((notes?.Length ?? 0) > 4000 || PlainText.Problem(notes, "release notes", multiline: true) is { } bad)
        {
            return Fail(OperationOutcome.Invalid, (notes?.Length ?? 0) > 4000 ? "Release notes can be at most 4000 characters." : PlainText.Problem(notes, "release notes", multiline: true)!);
        }

        if (builds.Count == 0)
        {
            return Fail(OperationOutcome.Invalid, $"Send at least one build, in a file part named by its architecture ({string.Join(" or ", AgentReleaseManifest.Architectures)}).");
        }

        foreach (var build in builds)
        {
            if (build.File.Size == 0 || ReleaseFileCheck.Problem(build.Architecture, await HeadAsync(build.File.Path, ct)) is { } problem)
            {
                return Fail(OperationOutcome.Invalid, build.File.Size == 0 ? $"The {build.Architecture} file is empty." : ReleaseFileCheck.Problem(build.Architecture, await HeadAsync(build.File.Path, ct))!);
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.AgentReleases.AnyAsync(r => r.Version == version, ct))
        {
            return Fail(OperationOutcome.Conflict, $"Release {version} already exists: releases never change once uploaded; publish the builds with a new version number.");
        }

        var files = builds.OrderBy(b => b.Architecture, StringComparer.Ordinal).Select(b => new AgentReleaseFileRecord(
            b.Architecture, b.File.Sha256, b.File.Size, signing.Sign(new AgentReleaseManifest(version, b.Architecture, b.File.Size, b.File.Sha256)))).ToList();
        var committed = builds.Where(b => store.Commit(b.File.Path, b.File.Sha256)).Select(b => b.File.Sha256).ToList();
        var release = new AgentRelease
        {
            Id = Guid.NewGuid().ToString("N"), Version = version, ReleaseNotes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim(),
            Files = files, CreatedBy = actor.Name, CreatedAt = clock.GetUtcNow(),
        };
        db.AgentReleases.Add(release);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            committed.ForEach(store.Remove);
            return Fail(OperationOutcome.Conflict, $"Release {version} was uploaded by someone else at the same moment.");
        }

        await audit.RecordAsync(actor, AuditActions.AgentReleaseUploaded, AuditTargets.AgentRelease(release.Id), $"agent {version}",
            detail: string.Join(", ", files.Select(f => $"{f.Architecture} {f.SizeBytes} bytes sha256 {f.Sha256}")), ct: ct);
        return OperationResult<AgentReleaseDto>.Ok(ToDto(release, new Dictionary<string, int>()));
    }

    public async Task<OperationResult<bool>> DeleteAsync(string version, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var release = await db.AgentReleases.FirstOrDefaultAsync(r => r.Version == version || r.Id == version, ct);
        if (release is null)
        {
            return OperationResult<bool>.Fail(OperationOutcome.NotFound, $"There is no agent release {version}.");
        }

        var users = (await db.Deployments.AsNoTracking().Where(d => d.AgentRelease != null).ToListAsync(ct))
            .Where(d => d.AgentRelease!.ReleaseId == release.Id || d.Previous?.AgentRelease?.ReleaseId == release.Id).Select(d => d.Name).ToList();
        if (users.Count > 0)
        {
            return OperationResult<bool>.Fail(OperationOutcome.Conflict,
                $"Release {release.Version} is deployed by {string.Join(", ", users.Take(5).Select(n => $"'{n}'"))}{(users.Count > 5 ? $" and {users.Count - 5} more" : "")}: delete those deployments first.");
        }

        db.AgentReleases.Remove(release);
        await db.SaveChangesAsync(ct);
        var stillUsed = (await db.AgentReleases.AsNoTracking().Select(r => r.Files).ToListAsync(ct)).SelectMany(f => f).Select(f => f.Sha256).ToHashSet(StringComparer.Ordinal);
        var models = await db.ModelVersions.AsNoTracking().Select(v => new { v.Sha256, v.OptimizedSha256 }).ToListAsync(ct);
        stillUsed.UnionWith(models.SelectMany(m => new[] { m.Sha256, m.OptimizedSha256 }).OfType<string>());
        release.Files.Select(f => f.Sha256).Where(sha => !stillUsed.Contains(sha)).ToList().ForEach(store.Remove);
        await audit.RecordAsync(actor, AuditActions.AgentReleaseDeleted, AuditTargets.AgentRelease(release.Id), $"agent {release.Version}", ct: ct);
        return OperationResult<bool>.Ok(true);
    }

    /// <summary>How many devices report each agent version.</summary>
    private static async Task<Dictionary<string, int>> AgentVersionsAsync(PortalDbContext db, CancellationToken ct) =>
        (await db.Devices.AsNoTracking().Where(d => d.RevokedAt == null && d.Inventory != null).Select(d => d.Inventory).ToListAsync(ct))
            .GroupBy(i => i!.AgentVersion, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static AgentReleaseDto ToDto(AgentRelease r, IReadOnlyDictionary<string, int> versions) => new(
        r.Id, r.Version, r.ReleaseNotes, r.CreatedAt, r.CreatedBy, [.. r.Files.Select(f => new AgentReleaseFileDto(f.Architecture, f.SizeBytes, f.Sha256))],
        versions.GetValueOrDefault(r.Version));

    private static async Task<byte[]> HeadAsync(string path, CancellationToken ct)
    {
        var head = new byte[20];
        await using var file = File.OpenRead(path);
        var read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        return head[..read];
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    [GeneratedRegex(@"^\d{1,9}\.\d{1,9}\.\d{1,9}(-[0-9A-Za-z.-]{1,40})?$")]
    private static partial Regex VersionPattern();
}
