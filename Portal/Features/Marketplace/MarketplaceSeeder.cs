using System.Text.Json;
using Portal.Features.Audit;
using Portal.Shared.Marketplace;

namespace Portal.Features.Marketplace;

/// <summary>
/// On the first start (an empty catalog) loads the shipped apps from <c>wwwroot-assets/marketplace/*.json</c>, certified,
/// so a new portal has something to deploy. A file that does not validate is skipped with a warning.
/// </summary>
public sealed partial class MarketplaceSeeder(MarketplaceService marketplace, ILogger<MarketplaceSeeder> logger)
{
    public const string SeededBy = "shipped catalog";

    public async Task SeedAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder) || (await marketplace.ListAsync(includeRetired: true, cancellationToken)).Count > 0)
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            AppDefinition? definition;
            try
            {
                definition = JsonSerializer.Deserialize<AppDefinition>(await File.ReadAllTextAsync(file, cancellationToken), JsonSerializerOptions.Web);
            }
            catch (JsonException ex)
            {
                LogSkipped(logger, Path.GetFileName(file), ex.Message);
                continue;
            }

            var result = await marketplace.CreateAsync(definition, certified: true, AuditActor.System with { Name = SeededBy }, cancellationToken);
            if (!result.Succeeded)
            {
                LogSkipped(logger, Path.GetFileName(file), result.Error!);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marketplace seed file {File} skipped: {Problem}")]
    private static partial void LogSkipped(ILogger logger, string file, string problem);
}
