using Microsoft.EntityFrameworkCore;

namespace Portal.Data;

/// <summary>Brings the database up to date. What goes in it first (roles, the first admin, samples) is seeded by the features that own it (Hosting's PortalInitializer).</summary>
internal static class DatabaseInitializer
{
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var portal = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Portal.Configuration.PortalOptions>>().Value;
        await using (var migrations = DataServiceExtensions.CreateMigrationContext(portal, app.Configuration))
        {
            // EF takes a database-wide lock while migrating, so instances starting together migrate once. Migrate also
            // diffs the model against the snapshot (seconds of a restart, while thousands of agents wait to reconnect):
            // only when something is pending.
            if ((await migrations.Database.GetPendingMigrationsAsync(app.Lifetime.ApplicationStopping)).Any())
            {
                await migrations.Database.MigrateAsync(app.Lifetime.ApplicationStopping);
            }

            if (!portal.Database.IsPostgres)
            {
                // Write-ahead logging: a commit is one append and one fsync (still durable: synchronous stays FULL),
                // and pages read while telemetry is written. Kept in the file, so this is a no-op after the first start.
                await migrations.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", app.Lifetime.ApplicationStopping);
            }
        }
    }
}
