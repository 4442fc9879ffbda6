using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data.Postgres;

namespace Portal.Data;

internal static class DataServiceExtensions
{
    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration)
    {
        // First, before anything (keys, artifacts, the database) creates it with the default mode.
        var portal = configuration.GetSection(PortalOptions.SectionName).Get<PortalOptions>() ?? new PortalOptions();
        DataDirectoryPermissions.CreateDirectory(portal.ResolvedDataDirectory);
        services.AddDbContextFactory<PortalDbContext>((sp, options) =>
            Configure(options, sp.GetRequiredService<IOptions<PortalOptions>>().Value, configuration));
        if (EF.IsDesignTime)
        {
            // For `dotnet ef migrations add X --context PostgresPortalDbContext -o Data/Postgres/Migrations`; no server needed.
            // (Not an IDesignTimeDbContextFactory: that interface is covariant, so EF would use it for PortalDbContext too.)
            services.AddDbContext<PostgresPortalDbContext>(o => o.UseNpgsql("Host=127.0.0.1;Database=portal_design"));
        }

        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>A context of the type that owns the provider's migrations, to bring the database up to date.</summary>
    public static PortalDbContext CreateMigrationContext(PortalOptions portal, IConfiguration configuration)
    {
        if (portal.Database.IsPostgres)
        {
            var postgres = new DbContextOptionsBuilder<PostgresPortalDbContext>();
            Configure(postgres, portal, configuration);
            return new PostgresPortalDbContext(postgres.Options);
        }

        var sqlite = new DbContextOptionsBuilder<PortalDbContext>();
        Configure(sqlite, portal, configuration);
        return new PortalDbContext(sqlite.Options);
    }

    private static void Configure(DbContextOptionsBuilder options, PortalOptions portal, IConfiguration configuration)
    {
        if (portal.Database.IsPostgres)
        {
            var connection = configuration.GetConnectionString("Portal");
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new OptionsValidationException(nameof(PortalOptions), typeof(PortalOptions),
                    ["Portal:Database:Provider is Postgres: set ConnectionStrings:Portal (Host=...;Database=...;Username=...;Password=...)."]);
            }

            options.UseNpgsql(connection, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
            return;
        }

        // One parameter per list (json_each on SQLite, an array on PostgreSQL) rather than one per element: a group with
        // 100,000 static members or a long device list would otherwise pass SQLite's 32,766-variable limit.
        options.UseSqlite(SqliteConnectionString(configuration, portal), o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
    }

    private static string SqliteConnectionString(IConfiguration configuration, PortalOptions portal)
    {
        var configured = configuration.GetConnectionString("Portal");
        var connection = !string.IsNullOrWhiteSpace(configured) ? configured : $"Data Source={Path.Combine(portal.ResolvedDataDirectory, "portal.db")}";
        DataDirectoryPermissions.PrepareSqliteFile(connection);
        return connection;
    }
}
