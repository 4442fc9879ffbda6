using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Portal.Configuration;

/// <summary>
/// The <c>Portal</c> section of the configuration. Every key is listed in appsettings.example.json. Every level is
/// validated at start (<see cref="PortalOptionsValidator"/>): a nested class needs <c>[ValidateObjectMembers]</c>.
/// </summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Holds the SQLite file, data-protection keys and (later) artifacts. Relative paths start at the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    [ValidateObjectMembers]
    public DatabaseOptions Database { get; set; } = new();

    [ValidateObjectMembers]
    public BootstrapOptions Bootstrap { get; set; } = new();

    [ValidateObjectMembers]
    public SecurityOptions Security { get; set; } = new();

    // No rules yet; add [ValidateObjectMembers] with the first validated key.
    public LocalAgentOptions LocalAgent { get; set; } = new();

    [ValidateObjectMembers]
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Device data (the values data flows send): how long it is kept (<c>Portal:DeviceData</c>).</summary>
    [ValidateObjectMembers]
    public TelemetryOptions DeviceData { get; set; } = new() { RawRetentionDays = 30, AggregateRetentionDays = 365 };

    [ValidateObjectMembers]
    public ModelOptions Models { get; set; } = new();

    [ValidateObjectMembers]
    public AgentReleaseOptions AgentReleases { get; set; } = new();

    [ValidateObjectMembers]
    public ApprovalOptions Approvals { get; set; } = new();

    [ValidateObjectMembers]
    public AuditOptions Audit { get; set; } = new();

    [ValidateObjectMembers]
    public ClusterOptions Cluster { get; set; } = new();

    [ValidateObjectMembers]
    public NotificationOptions Notifications { get; set; } = new();

    [ValidateObjectMembers]
    public AlertOptions Alerts { get; set; } = new();

    [ValidateObjectMembers]
    public ModelMonitoringOptions ModelMonitoring { get; set; } = new();

    /// <summary>Below this much free space on the data directory's disk, <c>/readyz</c> reports unhealthy; 0 turns the check off.</summary>
    [Range(0, 10_000_000)]
    public int MinFreeDiskMb { get; set; } = 512;

    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);
}

public sealed class DatabaseOptions
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary>
    /// <c>Sqlite</c> (the default: one file under the data directory, one portal instance) or <c>Postgres</c>
    /// (<c>ConnectionStrings:Portal</c> names the server; needed to run several instances).
    /// </summary>
    [AllowedValues(Sqlite, Postgres, ErrorMessage = "Portal:Database:Provider must be 'Sqlite' or 'Postgres'.")]
    public string Provider { get; set; } = Sqlite;

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.Ordinal);
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
    /// <summary>Wrong passwords in a row from one source address before that address is locked out of the account.</summary>
    [Range(1, 100)]
    public int LockoutMaxFailedAttempts { get; set; } = 5;

    /// <summary>Wrong passwords in a row from all addresses together before the account itself locks (everywhere).</summary>
    [Range(1, 100_000)]
    public int AccountLockoutMaxFailedAttempts { get; set; } = 50;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    [Range(8, 128)]
    public int PasswordMinLength { get; set; } = 10;

    /// <summary>Agents connected at once; more are refused with 503 and Retry-After, and their reconnect backs off.</summary>
    [Range(1, 1_000_000)]
    public int MaxAgentConnections { get; set; } = 20_000;

    /// <summary>The largest request body accepted, except model uploads (Portal:Models:MaxUploadMb).</summary>
    [Range(1, 1024)]
    public int MaxRequestBodyMb { get; set; } = 10;

    /// <summary>Admins must set up two-factor sign-in before anything else. An admin's toggle on the Users page overrides it.</summary>
    public bool RequireTwoFactorForAdmins { get; set; }

    /// <summary>
    /// A PKCS#12 (.pfx) file whose certificate encrypts the Data Protection key ring (<c>keys/</c> in the data directory),
    /// which in turn encrypts secrets, cookies and tokens. Empty: the keys are stored unencrypted, readable by the
    /// portal's user only. Keep the .pfx outside the data directory, so a copy of that directory alone decrypts nothing.
    /// </summary>
    public string KeyRingCertificate { get; set; } = "";

    /// <summary>The password of <see cref="KeyRingCertificate"/>; better given as the environment variable Portal__Security__KeyRingCertificatePassword.</summary>
    public string KeyRingCertificatePassword { get; set; } = "";

    [ValidateObjectMembers]
    public RateLimitOptions RateLimits { get; set; } = new();

    [ValidateObjectMembers]
    public AgentLimitOptions AgentLimits { get; set; } = new();
}

public sealed class RateLimitOptions
{
    /// <summary>Sign-in attempts per minute from one address (API and browser form).</summary>
    [Range(1, 100_000)]
    public int SignInPerMinute { get; set; } = 20;

    /// <summary>Agent enrollments per minute from one address.</summary>
    [Range(1, 100_000)]
    public int EnrollmentPerMinute { get; set; } = 60;

    /// <summary>Access tokens one user may create per minute.</summary>
    [Range(1, 100_000)]
    public int TokenCreationPerMinute { get; set; } = 10;

    /// <summary>Model uploads one user may start per minute.</summary>
    [Range(1, 100_000)]
    public int UploadsPerMinute { get; set; } = 20;
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

/// <summary>Fleet-wide changes that wait for a second admin (<c>Portal:Approvals</c>); both off by default.</summary>
public sealed class ApprovalOptions
{
    /// <summary>A deployment that targets, or a remote action asked for on, more than this many devices waits for another admin's approval; 0: never.</summary>
    [Range(0, 10_000_000)]
    public int DeviceThreshold { get; set; }

    /// <summary>Whether a change to <paramref name="devices"/> devices is over <see cref="DeviceThreshold"/> (never when it is 0).</summary>
    public bool OverDeviceThreshold(int devices) => DeviceThreshold > 0 && devices > DeviceThreshold;

    /// <summary>Every agent update (a deployment of an agent release) waits for another admin's approval, whatever its size.</summary>
    public bool AgentUpdates { get; set; }
}

public sealed class AgentReleaseOptions
{
    /// <summary>The largest agent build (one architecture's file) accepted for upload.</summary>
    [Range(1, 16 * 1024)]
    public int MaxUploadMb { get; set; } = 512;
}

public sealed class ModelOptions
{
    /// <summary>The largest model file accepted for upload.</summary>
    [Range(1, 1024 * 1024)]
    public int MaxUploadMb { get; set; } = 2048;

    /// <summary>Seeds the sample models from wwwroot-assets/models into an empty registry on first start.</summary>
    public bool SeedSamples { get; set; } = true;

    /// <summary>The optimized variant may be at most this many times the original (and 1 MiB more); otherwise devices get the original.</summary>
    [Range(1.0, 100.0)]
    public double OptimizedMaxGrowth { get; set; } = 2.0;

    /// <summary>The optimized variant may be at most this large, whatever the original's size.</summary>
    [Range(1, 1024 * 1024)]
    public int OptimizedMaxMb { get; set; } = 2048;

    /// <summary>The optimizer (a child process) is stopped past this much memory, and the original kept.</summary>
    [Range(64, 1024 * 1024)]
    public int OptimizeMaxMemoryMb { get; set; } = 2048;

    /// <summary>The optimizer is stopped past this many seconds, and the original kept.</summary>
    [Range(1, 3600)]
    public int OptimizeTimeoutSeconds { get; set; } = 120;
}

public sealed class AuditOptions
{
    /// <summary>How long audit entries are kept; 0 keeps them forever.</summary>
    [Range(0, 36500)]
    public int RetentionDays { get; set; }
}

/// <summary>How portal instances sharing one PostgreSQL database (and one Redis) divide the work.</summary>
public sealed class ClusterOptions
{
    /// <summary>This instance's name in the cluster; empty: host name, process id and a random suffix.</summary>
    [MaxLength(64)]
    public string? InstanceId { get; set; }

    /// <summary>How long a lease on once-per-cluster work lasts unless its holder renews it (it renews about every third of that).</summary>
    [Range(3, 600)]
    public int LeaseSeconds { get; set; } = 15;

    /// <summary>An instance silent this long is dead: its devices are shown Offline until they reconnect elsewhere.</summary>
    [Range(5, 3600)]
    public int InstanceTimeoutSeconds { get; set; } = 20;
}
