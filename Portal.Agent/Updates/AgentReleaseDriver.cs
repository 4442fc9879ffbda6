using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Enrollment;
using Portal.Agent.Inference;
using Portal.Agent.Reconciler;
using Portal.Shared.AgentReleases;
using Portal.Shared.Workloads;

namespace Portal.Agent.Updates;

/// <summary>
/// Updates the agent itself to the release its desired state names. Already on that version: Running. Otherwise it
/// checks free disk, downloads the build for this architecture (Downloading, resumable), verifies size, SHA-256 and the
/// portal's signature (Verifying), places it beside the running one, puts it on trial (<see cref="AgentInstall.Switch"/>)
/// and stops with <see cref="AgentExitCodes.RestartRequested"/>: <c>portal-agent-launch</c> starts the new version and
/// puts the previous one back if it does not connect and report within <see cref="AgentUpdateOptions.HealthTimeoutSeconds"/>.
/// A release the launcher rolled back, or one that failed verification, is Failed with the reason and not tried again
/// until the deployment names another build. Containers, stacks and their volumes are untouched: the next version adopts them.
/// </summary>
public sealed partial class AgentReleaseDriver(
    IOptions<AgentOptions> options,
    IHttpClientFactory httpFactory,
    ReleaseTrust trust,
    WorkloadReporter reporter,
    AgentExit exit,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers,
    TimeProvider clock,
    ILogger<AgentReleaseDriver> logger) : IWorkloadDriver
{
    /// <summary>A release that failed for a reason that may pass (disk full, the portal refused the file) is tried again after this long.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    /// <summary>An interrupted download (Pending, not Failed: it is no verdict on the release) resumes after this long.</summary>
    public static readonly TimeSpan ResumeAfter = TimeSpan.FromSeconds(10);

    private readonly ArtifactCache cache = new(options, httpFactory, loggers.CreateLogger<ArtifactCache>(), "releases", "", "agent release");
    private readonly Dictionary<string, (string Reason, bool Final, DateTimeOffset At, WorkloadState State)> failed = new(StringComparer.Ordinal);
    private AgentCredentials? device;
    private long revision;
    private bool restarting;

    public WorkloadKind Kind => WorkloadKind.AgentRelease;

    /// <summary>Why this agent cannot update itself over the air; null when it can. Reported in the inventory.</summary>
    public static string? UpdateProblem(AgentUpdateOptions o) =>
        !o.Enabled ? "Updates over the air are off in this agent's settings (Agent:Update:Enabled)."
        : AgentInstall.Find(o.ResolvedHome).Problem;

    public void Start(AgentCredentials credentials) => device = credentials;

    public async Task<DriverReport> ReconcileAsync(DesiredState desired, CancellationToken ct)
    {
        revision = desired.Revision;
        if (desired.AgentReleases() is not [var spec, ..])
        {
            cache.Prune(new HashSet<string>(StringComparer.Ordinal));
            return new DriverReport([], OnlyWhenChanged: true);
        }

        if (spec.Version == AgentWorker.Version)
        {
            cache.Prune(new HashSet<string>(StringComparer.Ordinal));
            return Report(Status(spec, WorkloadState.Running, null));
        }

        if (restarting)
        {
            return Report(Status(spec, WorkloadState.Starting, $"Restarting into {spec.Version}"));
        }

        var (install, problem) = AgentInstall.Find(options.Value.Update.ResolvedHome);
        if (install?.LastRollback() is { } rollback && rollback.SpecHash == spec.SpecHash)
        {
            return Report(Status(spec, WorkloadState.Failed, $"{spec.Version} was rolled back to {AgentWorker.Version}: {rollback.Reason}"));
        }

        if (install is not null && install.CurrentTarget() == install.VersionPath(spec.Version))
        {
            // This process is that release's build, yet says another version: updating again would loop for ever.
            return Fail(spec, $"The build of release {spec.Version} reports version {AgentWorker.Version}: it was published with another version stamped in (publish.sh VERSION).", final: true);
        }

        if (failed.TryGetValue(spec.SpecHash, out var earlier) && (earlier.Final || clock.GetUtcNow() - earlier.At < Wait(earlier.State)))
        {
            return Report(Status(spec, earlier.State, earlier.Reason), earlier.Final ? null : Wait(earlier.State));
        }

        problem = !options.Value.Update.Enabled ? UpdateProblem(options.Value.Update) : problem;
        if (install is null || problem is not null)
        {
            return Fail(spec, problem!, final: true);
        }

        return await UpdateAsync(spec, install, ct);
    }

    public ValueTask StopAsync() => ValueTask.CompletedTask;

    private async Task<DriverReport> UpdateAsync(AgentReleaseWorkloadSpec spec, AgentInstall install, CancellationToken ct)
    {
        var architecture = AgentReleaseManifest.CurrentArchitecture();
        var (file, missing) = ReleaseVerifier.FileFor(spec, architecture);
        if (file is null)
        {
            return Fail(spec, missing!, final: true);
        }

        var minFree = options.Value.MinFreeDiskMb * 1024L * 1024;
        var free = new DriveInfo(install.Home).AvailableFreeSpace;
        if (free < file.SizeBytes + minFree)
        {
            return Fail(spec, $"Not enough disk: the agent release needs {Mb(file.SizeBytes)} MB in {install.Home} and {options.Value.MinFreeDiskMb} MB must stay free, but only {Mb(free)} MB are free.", final: false);
        }

        string downloaded;
        try
        {
            downloaded = await cache.FetchAsync(file.Sha256, file.SizeBytes, new Uri(new Uri(device!.PortalUrl), file.DownloadPath), device.DeviceSecret,
                percent => Progress(spec, WorkloadState.Downloading, percent), () => Progress(spec, WorkloadState.Verifying, null), ct);
        }
        catch (ModelArtifactException ex)
        {
            return Fail(spec, ex.Message, final: false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            // The connection broke mid-download: what arrived is kept and the next try resumes from there.
            return Fail(spec, $"The download of release {spec.Version} was interrupted ({ex.Message}); it resumes in {ResumeAfter.TotalSeconds:F0} s.", final: false, WorkloadState.Pending);
        }

        await Send(Status(spec, WorkloadState.Verifying, null));
        if (await ReleaseVerifier.CheckAsync(spec, file, architecture, downloaded, trust.Key, ct) is { } refused)
        {
            File.Delete(downloaded);
            return Fail(spec, refused, final: !string.IsNullOrEmpty(trust.Key));
        }

        try
        {
            var placed = install.Place(spec.Version, downloaded);
            install.Switch(placed, spec.Version, spec.SpecHash, options.Value.Update.HealthTimeoutSeconds);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(spec, $"The new build could not be installed in {install.Home}: {ex.Message}", final: false);
        }

        File.Delete(downloaded);
        restarting = true;
        LogRestarting(logger, AgentWorker.Version, spec.Version, options.Value.Update.HealthTimeoutSeconds);
        var status = Status(spec, WorkloadState.Starting, $"Restarting into {spec.Version}");
        await Send(status);
        exit.Code = AgentExitCodes.RestartRequested;
        lifetime.StopApplication();
        return Report(status);
    }

    private DriverReport Fail(AgentReleaseWorkloadSpec spec, string reason, bool final, WorkloadState state = WorkloadState.Failed)
    {
        failed[spec.SpecHash] = (reason, final, clock.GetUtcNow(), state);
        LogFailed(logger, spec.Version, reason);
        return Report(Status(spec, state, reason), final ? null : Wait(state));
    }

    private static TimeSpan Wait(WorkloadState state) => state == WorkloadState.Pending ? ResumeAfter : RetryAfter;

    private void Progress(AgentReleaseWorkloadSpec spec, WorkloadState state, int? percent) => _ = Send(Status(spec, state, null, percent));

    private Task Send(WorkloadStatus status) => reporter.ReportAsync(WorkloadKind.AgentRelease, revision, [status], onlyWhenChanged: true);

    private static DriverReport Report(WorkloadStatus status, TimeSpan? again = null) => new([status], again, OnlyWhenChanged: true);

    private static WorkloadStatus Status(AgentReleaseWorkloadSpec spec, WorkloadState state, string? reason, int? percent = null) =>
        new(spec.Name, spec.DeploymentId, spec.SpecHash, state, reason, $"portal-agent {spec.Version}", null, null, 0, null, null, percent, WorkloadKind.AgentRelease);

    private static long Mb(long bytes) => (bytes + 1024 * 1024 - 1) / (1024 * 1024);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {Current} switches to {Version} and restarts; the launcher rolls back if it does not report within {Seconds} s")]
    private static partial void LogRestarting(ILogger logger, string current, string version, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent release {Version} cannot be installed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string version, string reason);
}
