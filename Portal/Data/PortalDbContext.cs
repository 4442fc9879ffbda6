using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Portal.Data;

/// <summary>
/// The portal's database. SQLite migrations live in <c>Data/Migrations</c> for this type; PostgreSQL's in
/// <c>Data/Postgres/Migrations</c> for <see cref="Postgres.PostgresPortalDbContext"/>, which only migrates: the
/// running portal uses this type on either provider.
/// </summary>
public class PortalDbContext : IdentityDbContext<PortalUser>
{
    public PortalDbContext(DbContextOptions<PortalDbContext> options)
        : base(options)
    {
    }

    protected PortalDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<EnrollmentToken> EnrollmentTokens => Set<EnrollmentToken>();

    public DbSet<Device> Devices => Set<Device>();

    public DbSet<TelemetryRecord> Telemetry => Set<TelemetryRecord>();

    public DbSet<DeviceGroup> Groups => Set<DeviceGroup>();

    public DbSet<DeviceHistoryEntry> DeviceHistory => Set<DeviceHistoryEntry>();

    public DbSet<TelemetryMinute> TelemetryMinutes => Set<TelemetryMinute>();

    public DbSet<DeviceDataRecord> DeviceData => Set<DeviceDataRecord>();

    public DbSet<DeviceDataMinute> DeviceDataMinutes => Set<DeviceDataMinute>();

    public DbSet<DeviceDataSeriesRow> DeviceDataSeries => Set<DeviceDataSeriesRow>();

    public DbSet<MarketplaceApp> MarketplaceApps => Set<MarketplaceApp>();

    public DbSet<Deployment> Deployments => Set<Deployment>();

    public DbSet<DataFlowDefinition> DataFlows => Set<DataFlowDefinition>();

    public DbSet<DataFlowVersion> DataFlowVersions => Set<DataFlowVersion>();

    public DbSet<AgentRelease> AgentReleases => Set<AgentRelease>();

    public DbSet<DeploymentTarget> DeploymentTargets => Set<DeploymentTarget>();

    public DbSet<DeploymentEvent> DeploymentEvents => Set<DeploymentEvent>();

    public DbSet<DeviceDesiredState> DesiredStates => Set<DeviceDesiredState>();

    public DbSet<RegisteredModel> Models => Set<RegisteredModel>();

    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();

    public DbSet<ModelProfileRun> ModelProfileRuns => Set<ModelProfileRun>();

    public DbSet<DeviceModelMetrics> DeviceModelMetrics => Set<DeviceModelMetrics>();

    public DbSet<DeviceAction> DeviceActions => Set<DeviceAction>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<PersonalAccessToken> AccessTokens => Set<PersonalAccessToken>();

    public DbSet<ConfigSet> ConfigSets => Set<ConfigSet>();

    public DbSet<ConfigSecret> ConfigSecrets => Set<ConfigSecret>();

    public DbSet<ConfigRollout> ConfigRollouts => Set<ConfigRollout>();

    public DbSet<NotificationChannel> NotificationChannels => Set<NotificationChannel>();

    public DbSet<FleetEventRecord> FleetEvents => Set<FleetEventRecord>();

    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();

    public DbSet<NotificationAttempt> NotificationAttempts => Set<NotificationAttempt>();

    public DbSet<AlertRule> AlertRules => Set<AlertRule>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<AlertSilence> AlertSilences => Set<AlertSilence>();

    public DbSet<AlertCursor> AlertCursors => Set<AlertCursor>();

    public DbSet<DeviceModelMonitor> DeviceModelMonitors => Set<DeviceModelMonitor>();

    public DbSet<ModelBaseline> ModelBaselines => Set<ModelBaseline>();

    public DbSet<ModelDriftPoint> ModelDriftPoints => Set<ModelDriftPoint>();

    public DbSet<Lease> Leases => Set<Lease>();

    public DbSet<PortalInstance> Instances => Set<PortalInstance>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsNpgsql())
        {
            // timestamptz holds UTC only: Npgsql refuses an offset, so every value is brought to UTC on the way in.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcDateTimeOffsetConverter>();
            return;
        }

        if (!Database.IsSqlite())
        {
            return;
        }

        // SQLite cannot order or compare DateTimeOffset natively; store it as a number so queries sort correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>Stores a <see cref="DateTimeOffset"/> as the same instant in UTC (PostgreSQL's timestamptz).</summary>
internal sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
