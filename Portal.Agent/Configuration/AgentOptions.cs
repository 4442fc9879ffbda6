using System.ComponentModel.DataAnnotations;

namespace Portal.Agent.Configuration;

/// <summary>The <c>Agent</c> section: command-line flags map onto it (see <see cref="AgentCommandLine"/>).</summary>
public sealed class AgentOptions : IValidatableObject
{
    public const string SectionName = "Agent";

    /// <summary>The portal's base address, from <c>--portal URL</c>.</summary>
    public string? PortalUrl { get; set; }

    /// <summary>A one-time enrollment token, from <c>--enroll TOKEN</c> or <c>Agent__EnrollmentToken</c>; needed only on the first start.</summary>
    public string? EnrollmentToken { get; set; }

    /// <summary>A file holding the enrollment token, from <c>--enroll-file PATH</c>: unlike <c>--enroll</c>, not shown by <c>ps</c>.</summary>
    public string? EnrollmentTokenFile { get; set; }

    /// <summary>Holds the device's credentials, desired state and telemetry outbox, from <c>--data-dir DIR</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "agent-data";

    /// <summary>The device name shown in the portal, from <c>--name NAME</c>; the host name when absent.</summary>
    public string Name { get; set; } = Environment.MachineName;

    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    [Range(1, 3600)]
    public int TelemetryIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// Where the machine's counters are read (stat, meminfo, loadavg, net/dev): <c>/proc</c>, or the host's /proc mounted
    /// into the agent's container (for example <c>/host/proc</c>) when the agent itself runs in a container.
    /// </summary>
    [Required]
    public string ProcDirectory { get; set; } = "/proc";

    /// <summary>Samples kept on disk while the portal is out of reach (a day at 5 s); beyond it the oldest are dropped.</summary>
    [Range(10, 10_000_000)]
    public int OutboxMaxSamples { get; set; } = 17_280;

    /// <summary>
    /// Device data points (what data flows send to the portal) kept on disk while the portal is out of reach; beyond it
    /// the oldest are dropped and counted. 200,000 is about 11 hours of five values a second.
    /// </summary>
    [Range(100, 10_000_000)]
    public int DeviceDataOutboxMaxPoints { get; set; } = 200_000;

    /// <summary>How often the agent compares what runs with what should run, even when nothing told it to.</summary>
    [Range(1, 3600)]
    public int ReconcileIntervalSeconds { get; set; } = 15;

    /// <summary>An image is pulled only when the engine's disk has at least this much free space.</summary>
    [Range(0, 1_000_000)]
    public int MinFreeDiskMb { get; set; } = 512;

    /// <summary>
    /// Where secrets that containers ask for as files (<c>/run/secrets/NAME</c>) are kept for their read-only mounts: a
    /// folder on a tmpfs, so they are never written to disk. A container that asks for one fails while it is not a tmpfs.
    /// </summary>
    public string SecretsDirectory { get; set; } = "/run/portal-agent/secrets";

    public InferenceOptions Inference { get; set; } = new();

    public Portal.Agent.Updates.AgentUpdateOptions Update { get; set; } = new();

    public Portal.Agent.Actions.ActionOptions Actions { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(PortalUrl))
        {
            yield return new ValidationResult("Say which portal to join: --portal URL (for example --portal http://127.0.0.1:5000).");
        }
        else if (!Uri.TryCreate(PortalUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult($"--portal must be an http:// or https:// address, not '{PortalUrl}'.");
        }

        if (!string.IsNullOrEmpty(EnrollmentToken) && !string.IsNullOrEmpty(EnrollmentTokenFile))
        {
            yield return new ValidationResult("Give the enrollment token one way: --enroll TOKEN (or Agent__EnrollmentToken) or --enroll-file PATH, not both.");
        }
    }
}

public sealed class InferenceOptions
{
    /// <summary>The local Open Inference Protocol endpoint's port, bound to 127.0.0.1 only; 0 picks a free one (logged).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8500;

    /// <summary>Threads one inference may use; 0 lets ONNX Runtime use one per physical core.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>The largest inference request body accepted.</summary>
    [Range(1, 4096)]
    public int MaxRequestBodyMb { get; set; } = 64;
}
