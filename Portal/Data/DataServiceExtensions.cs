using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;

namespace Portal.Data;

internal static class DataServiceExtensions
{
    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDbContextFactory<PortalDbContext>((sp, options) =>
        {
            var portal = sp.GetRequiredService<IOptions<PortalOptions>>().Value;
            options.UseSqlite(SqliteConnectionString(configuration, portal));
        });
        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database", tags: ["ready"]);
        return services;
    }

    private static string SqliteConnectionString(IConfiguration configuration, PortalOptions portal)
    {
        var configured = configuration.GetConnectionString("Portal");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        Directory.CreateDirectory(portal.ResolvedDataDirectory);
        return $"Data Source={Path.Combine(portal.ResolvedDataDirectory, "portal.db")}";
    }
}
