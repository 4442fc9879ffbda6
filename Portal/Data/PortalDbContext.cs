using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Portal.Data;

public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : IdentityDbContext<PortalUser>(options)
{
    public DbSet<EnrollmentToken> EnrollmentTokens => Set<EnrollmentToken>();

    public DbSet<Device> Devices => Set<Device>();

    public DbSet<TelemetryRecord> Telemetry => Set<TelemetryRecord>();

    public DbSet<DeviceGroup> Groups => Set<DeviceGroup>();

    public DbSet<DeviceHistoryEntry> DeviceHistory => Set<DeviceHistoryEntry>();

    public DbSet<TelemetryMinute> TelemetryMinutes => Set<TelemetryMinute>();

    public DbSet<MarketplaceApp> MarketplaceApps => Set<MarketplaceApp>();

    public DbSet<Deployment> Deployments => Set<Deployment>();

    public DbSet<DeploymentTarget> DeploymentTargets => Set<DeploymentTarget>();

    public DbSet<DeploymentEvent> DeploymentEvents => Set<DeploymentEvent>();

    public DbSet<DeviceDesiredState> DesiredStates => Set<DeviceDesiredState>();

    public DbSet<RegisteredModel> Models => Set<RegisteredModel>();

    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();

    public DbSet<ModelProfileRun> ModelProfileRuns => Set<ModelProfileRun>();

    public DbSet<DeviceModelMetrics> DeviceModelMetrics => Set<DeviceModelMetrics>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<PersonalAccessToken> AccessTokens => Set<PersonalAccessToken>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (!Database.IsSqlite())
        {
            return;
        }

        // SQLite cannot order or compare DateTimeOffset natively; store it as a number so queries sort correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
