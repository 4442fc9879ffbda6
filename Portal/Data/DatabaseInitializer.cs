using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Users;
using Portal.Shared.Security;

namespace Portal.Data;

/// <summary>Brings the database up to date and seeds what every portal needs: the roles and the first admin.</summary>
internal static class DatabaseInitializer
{
    public static async Task InitializePortalAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var portal = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Portal.Configuration.PortalOptions>>().Value;
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

        // Instances starting together on one PostgreSQL database seed one after the other (a session advisory lock,
        // released when this connection closes), so roles, the first admin and the samples are created once.
        await using var seeding = portal.Database.IsPostgres ? new Npgsql.NpgsqlConnection(app.Configuration.GetConnectionString("Portal")) : null;
        if (seeding is not null)
        {
            await seeding.OpenAsync(app.Lifetime.ApplicationStopping);
            await using var command = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(74657301)", seeding);
            await command.ExecuteNonQueryAsync(app.Lifetime.ApplicationStopping);
        }

        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                var created = await roles.CreateAsync(new IdentityRole(role));
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException($"Could not create role {role}: {created.Errors.First().Description}");
                }
            }
        }

        await services.GetRequiredService<AdminBootstrapper>().EnsureAdminAsync(app);
        await services.GetRequiredService<Portal.Features.Marketplace.MarketplaceSeeder>()
            .SeedAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "marketplace"), app.Lifetime.ApplicationStopping);
        await services.GetRequiredService<Portal.Features.Models.ModelSeeder>()
            .SeedAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "models"), app.Lifetime.ApplicationStopping);
    }
}
