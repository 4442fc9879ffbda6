using System.ComponentModel.DataAnnotations;

namespace Portal.Configuration;

/// <summary>The <c>Portal</c> section of the configuration. Every key is listed in appsettings.example.json.</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Holds the SQLite file, data-protection keys and (later) artifacts. Relative paths start at the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    public DatabaseOptions Database { get; set; } = new();

    public BootstrapOptions Bootstrap { get; set; } = new();

    public SecurityOptions Security { get; set; } = new();

    public LocalAgentOptions LocalAgent { get; set; } = new();

    public TelemetryOptions Telemetry { get; set; } = new();

    public ModelOptions Models { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();

    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);
}

public sealed class DatabaseOptions
{
    public const string Sqlite = "Sqlite";

    /// <summary>Only <c>Sqlite</c> for now; PostgreSQL arrives with scale-out.</summary>
    [AllowedValues(Sqlite, ErrorMessage = "Portal:Database:Provider must be 'Sqlite' (PostgreSQL support is not built yet).")]
    public string Provider { get; set; } = Sqlite;
}

public sealed class BootstrapOptions
{
    [Required, EmailAddress]
    public string AdminEmail { get; set; } = "admin@portal.local";

    /// <summary>Used only on the very first start; when empty a strong password is generated and printed once.</summary>
    public string? AdminPassword { get; set; }
}

public sealed class SecurityOptions
{
    [Range(1, 100)]
    public int LockoutMaxFailedAttempts { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    [Range(8, 128)]
    public int PasswordMinLength { get; set; } = 10;
}

public sealed class LocalAgentOptions
{
    /// <summary>Runs the agent inside the portal for the machine it runs on (on in the quick start's appsettings.json).</summary>
    public bool Enabled { get; set; }
}

public sealed class TelemetryOptions
{
    /// <summary>How long raw samples are kept.</summary>
    [Range(1, 3650)]
    public int RawRetentionDays { get; set; } = 7;

    /// <summary>How long the 1-minute roll-ups are kept.</summary>
    [Range(1, 36500)]
    public int AggregateRetentionDays { get; set; } = 90;
}

public sealed class ModelOptions
{
    /// <summary>The largest model file accepted for upload.</summary>
    [Range(1, 1024 * 1024)]
    public int MaxUploadMb { get; set; } = 2048;

    /// <summary>Seeds the sample models from wwwroot-assets/models into an empty registry on first start.</summary>
    public bool SeedSamples { get; set; } = true;
}

public sealed class AuditOptions
{
    /// <summary>How long audit entries are kept; 0 keeps them forever.</summary>
    [Range(0, 36500)]
    public int RetentionDays { get; set; }
}
