using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Marketplace;
using Portal.Features.Models;
using Portal.Features.Users;
using Portal.Shared.Security;

namespace Portal.Hosting;

/// <summary>Brings the database up to date and seeds what every portal needs: the roles, the first admin and the samples.</summary>
internal static class PortalInitializer
{
    public static async Task InitializePortalAsync(this WebApplication app)
    {
        await app.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var portal = services.GetRequiredService<IOptions<PortalOptions>>().Value;

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
        await services.GetRequiredService<MarketplaceSeeder>()
            .SeedAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "marketplace"), app.Lifetime.ApplicationStopping);
        await services.GetRequiredService<ModelSeeder>()
            .SeedAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "models"), app.Lifetime.ApplicationStopping);
    }
}
