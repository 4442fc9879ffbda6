using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>
/// On the first start (an empty registry) uploads the sample models listed in <c>wwwroot-assets/models/catalog.json</c>
/// through the normal upload path (validated, optimized, stored), so a new portal has models to deploy and try. Also
/// closes profile runs a previous process left unfinished and removes half-written uploads a crash left behind.
/// </summary>
public sealed partial class ModelSeeder(ModelRegistry registry, ArtifactStore store, IDbContextFactory<PortalDbContext> dbFactory, IOptions<PortalOptions> options, TimeProvider clock, ILogger<ModelSeeder> logger)
{
    public const string SeededBy = "shipped samples";

    private static readonly AuditActor Seeder = AuditActor.System with { Name = SeededBy };

    private static readonly JsonSerializerOptions CatalogJson = new(JsonSerializerOptions.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private sealed record CatalogEntry(string Name, string File, string? Description, List<string>? Tags, ModelStage Stage, string? ReleaseNotes);

    public async Task SeedAsync(string folder, CancellationToken ct)
    {
        store.ClearStaleIncoming(clock.GetUtcNow());
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var now = clock.GetUtcNow();
            await db.ModelProfileRuns.Where(p => p.State == ProfileState.Running).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.State, ProfileState.Failed).SetProperty(p => p.Error, "The portal restarted before the device answered.").SetProperty(p => p.FinishedAt, now), ct);
            if (!options.Value.Models.SeedSamples || await db.Models.AnyAsync(ct))
            {
                return;
            }
        }

        var catalog = Path.Combine(folder, "catalog.json");
        if (!File.Exists(catalog))
        {
            return;
        }

        List<CatalogEntry>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<List<CatalogEntry>>(await File.ReadAllTextAsync(catalog, ct), CatalogJson);
        }
        catch (JsonException ex)
        {
            LogSkipped(logger, "catalog.json", ex.Message);
            return;
        }

        foreach (var entry in entries ?? [])
        {
            var created = await registry.CreateAsync(new CreateModelRequest(entry.Name, entry.Description, entry.Tags), Seeder, ct);
            if (!created.Succeeded)
            {
                LogSkipped(logger, entry.Name, created.Error!);
                continue;
            }

            await using var file = File.OpenRead(Path.Combine(folder, Path.GetFileName(entry.File)));
            var uploaded = await registry.UploadAsync(created.Value!.Id, file, entry.File, entry.ReleaseNotes, Seeder, null, ct);
            if (!uploaded.Succeeded)
            {
                LogSkipped(logger, entry.Name, uploaded.Error!);
                continue;
            }

            await registry.UpdateVersionAsync(created.Value.Id, uploaded.Value!.Version, new UpdateModelVersionRequest(entry.Stage), Seeder, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sample model {Name} skipped: {Problem}")]
    private static partial void LogSkipped(ILogger logger, string name, string problem);
}
