using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Connection;
using Portal.Agent.Docker;
using Portal.Agent.Reconciler;
using Portal.Shared.Devices;
using Portal.Shared.Hubs;

namespace Portal.Agent.Actions;

/// <summary>
/// Runs the portal's remote actions, each off the connection's handler: restart the agent (exit code 10 for its
/// supervisor, reported after the restart), reboot the host (only with <see cref="ActionOptions.AllowReboot"/>, reported
/// after the boot), prune unused images (keeping what the desired state names and what was pre-pulled), pre-pull a
/// deployment's images (after checking free disk). Workloads are never touched.
/// </summary>
public sealed partial class DeviceActionRunner(
    IOptions<AgentOptions> options,
    IContainerRuntimeFactory runtimes,
    WorkloadReconciler reconciler,
    AgentExit exit,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<DeviceActionRunner> logger)
{
    private readonly PrePulledImages prePulled = new(options.Value.DataDirectory, clock);
    private readonly UnsentReports unsent = new(options.Value.DataDirectory);
    private string? deviceId;

    private ActionOptions Settings => options.Value.Actions;

    public void Start(string device) => deviceId = device;

    /// <summary>Runs the job in the background; the outcome goes back through <paramref name="portal"/>.</summary>
    public void Run(AgentHubClient portal, DeviceActionJob job, CancellationToken ct) => _ = Task.Run(() => RunAsync(portal, job, ct), ct);

    public async Task RunAsync(AgentHubClient portal, DeviceActionJob job, CancellationToken ct)
    {
        LogRunning(logger, job.ActionId, job.Kind);
        DeviceActionReport report;
        try
        {
            report = job.Kind switch
            {
                DeviceActionKind.RestartAgent => await RestartAsync(portal, job, ct),
                DeviceActionKind.RebootHost => await RebootAsync(portal, job, ct),
                DeviceActionKind.PruneImages => await PruneAsync(job, ct),
                DeviceActionKind.PrePull => await PrePullAsync(portal, job, ct),
                _ => Failed(job, $"This agent ({AgentWorker.Version}) does not know the action {job.Kind}."),
            };
        }
        catch (ContainerRuntimeException ex)
        {
            report = Failed(job, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            report = Failed(job, $"The action failed on the device: {ex.Message}");
        }

        if (!await ReportAsync(portal, report) && report.State != DeviceActionState.Running)
        {
            // The outcome is kept and sent after the next connect.
            unsent.Add(report);
        }
    }

    /// <summary>
    /// After every connect: outcomes the portal did not take are sent again, and a restart or reboot asked for before this
    /// start is reported now, once.
    /// </summary>
    public async Task ConnectedAsync(AgentHubClient portal)
    {
        // A damaged or unwritable actions folder never costs the connection: what cannot be reported is logged.
        try
        {
            await ReportKeptAsync(portal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogActionFilesFailed(logger, ex.Message);
        }
    }

    private async Task ReportKeptAsync(AgentHubClient portal)
    {
        var delivered = new List<string>();
        foreach (var kept in unsent.All())
        {
            if (await ReportAsync(portal, kept))
            {
                delivered.Add(kept.ActionId);
            }
        }

        unsent.Remove(delivered);

        var pending = PendingAction.Load(options.Value.DataDirectory, out var problem);
        if (problem is not null)
        {
            LogPendingDamaged(logger, problem);
        }

        if (pending is null || pending.ProcessId == Environment.ProcessId)
        {
            // None, or this very process asked for it and is still on its way down.
            return;
        }

        var report = pending.Kind == DeviceActionKind.RebootHost && pending.BootId is { } before && before == PendingAction.CurrentBootId()
            ? new DeviceActionReport(pending.ActionId, DeviceActionState.Failed, "The agent started again, but the host did not reboot (its boot id is unchanged).")
            : new DeviceActionReport(pending.ActionId, DeviceActionState.Succeeded, pending.Kind == DeviceActionKind.RebootHost
                ? $"The host rebooted; agent {AgentWorker.Version} is back."
                : $"The agent restarted ({AgentWorker.Version}, process {Environment.ProcessId}) and reconnected; workloads kept running.");
        if (await ReportAsync(portal, report))
        {
            PendingAction.Clear(options.Value.DataDirectory);
        }
    }

    private async Task<DeviceActionReport> RestartAsync(AgentHubClient portal, DeviceActionJob job, CancellationToken ct)
    {
        if (!Settings.IsRestartable)
        {
            return Failed(job, "This agent does not run under systemd or portal-agent-launch (or runs inside the portal), so nothing would start it again; restart it on the device.");
        }

        new PendingAction(job.ActionId, job.Kind, Environment.ProcessId, PendingAction.CurrentBootId(), clock.GetUtcNow()).Save(options.Value.DataDirectory);
        await ReportAsync(portal, new DeviceActionReport(job.ActionId, DeviceActionState.Running, $"Restarting the agent ({AgentWorker.Version})."));
        LogRestarting(logger, job.ActionId);
        exit.Code = AgentExitCodes.RestartRequested;
        lifetime.StopApplication();
        await Task.Delay(Timeout.Infinite, ct);
        return Failed(job, "unreachable");
    }

    private async Task<DeviceActionReport> RebootAsync(AgentHubClient portal, DeviceActionJob job, CancellationToken ct)
    {
        if (!Settings.AllowReboot)
        {
            return Failed(job, "Rebooting is off in this agent's settings (Agent:Actions:AllowReboot); whoever runs the device can turn it on.");
        }

        new PendingAction(job.ActionId, job.Kind, Environment.ProcessId, PendingAction.CurrentBootId(), clock.GetUtcNow()).Save(options.Value.DataDirectory);
        await ReportAsync(portal, new DeviceActionReport(job.ActionId, DeviceActionState.Running, $"Rebooting the host ({Settings.RebootCommand})."));
        LogRebooting(logger, job.ActionId, Settings.RebootCommand);
        var (code, output) = await ShellCommand.RunAsync(Settings.RebootCommand, TimeSpan.FromSeconds(60), ct);
        if (code != 0)
        {
            PendingAction.Clear(options.Value.DataDirectory);
            return Failed(job, $"The reboot command '{Settings.RebootCommand}' failed with exit code {code}: {output}");
        }

        // The host is going down; the next start reports the outcome.
        return new DeviceActionReport(job.ActionId, DeviceActionState.Running, "The reboot command was accepted; waiting for the host to come back.");
    }

    private async Task<DeviceActionReport> PruneAsync(DeviceActionJob job, CancellationToken ct)
    {
        var desired = reconciler.Store.Current;
        if (desired is null)
        {
            return Failed(job, "The device does not know its desired state yet (damaged or not received), so it cannot tell which images are needed; nothing was removed.");
        }

        var keep = desired.Containers().Select(c => c.Image)
            .Concat(desired.Stacks().SelectMany(s => s.Services.Select(x => x.Container.Image)))
            .Concat(prePulled.Current()).Concat(Settings.KeepImages).ToHashSet(StringComparer.Ordinal);
        var result = await WithRuntime(r => r.PruneImagesAsync(keep, ct));
        var text = $"Removed {result.Removed} unused image{(result.Removed == 1 ? "" : "s")}, freeing {Megabytes(result.FreedBytes)}; kept {result.Kept} in use or needed.";
        return result.Refused.Count == 0
            ? new DeviceActionReport(job.ActionId, DeviceActionState.Succeeded, text)
            : Failed(job, $"{text} The engine refused {result.Refused.Count}: {string.Join("; ", result.Refused.Take(5))}");
    }

    private async Task<DeviceActionReport> PrePullAsync(AgentHubClient portal, DeviceActionJob job, CancellationToken ct)
    {
        if (job.Images.Count == 0)
        {
            return Failed(job, "The deployment names no images to pull.");
        }

        return await WithRuntime(async runtime =>
        {
            var (pulled, present) = (new List<string>(), new List<string>());
            var index = 0;
            foreach (var image in job.Images)
            {
                index++;
                if (await runtime.ImageExistsAsync(image.Image, ct))
                {
                    present.Add(image.Image);
                    continue;
                }

                var free = await runtime.FreeDiskBytesAsync(ct);
                var floor = (long)options.Value.MinFreeDiskMb * 1024 * 1024;
                if (free is { } bytes && bytes < floor)
                {
                    return Failed(job, $"Only {Megabytes(bytes)} free on the engine's disk, less than the {options.Value.MinFreeDiskMb} MB the agent keeps free (Agent:MinFreeDiskMb); {image.Image} was not pulled. Prune unused images first.");
                }

                await ReportAsync(portal, new DeviceActionReport(job.ActionId, DeviceActionState.Running, $"Pulling {image.Image} ({index} of {job.Images.Count})."));
                try
                {
                    await runtime.PullAsync(image.Image, image.Registry, null, ct);
                }
                catch (ContainerRuntimeException ex)
                {
                    return Failed(job, $"Could not pull {image.Image}: {ex.Message}");
                }

                pulled.Add(image.Image);
                prePulled.Add([image.Image]);
            }

            prePulled.Add(present);
            return new DeviceActionReport(job.ActionId, DeviceActionState.Succeeded,
                $"Pulled {pulled.Count} image{(pulled.Count == 1 ? "" : "s")}{(pulled.Count > 0 ? $" ({string.Join(", ", pulled)})" : "")}"
                + $"{(present.Count > 0 ? $"; {present.Count} already present ({string.Join(", ", present)})" : "")}.");
        });
    }

    private async Task<T> WithRuntime<T>(Func<IContainerRuntime, Task<T>> work)
    {
        var runtime = runtimes.Create(deviceId ?? "unknown");
        try
        {
            return await work(runtime);
        }
        finally
        {
            (runtime as IDisposable)?.Dispose();
        }
    }

    /// <summary>True when the portal took the report, or refused it for good (sending it again would not help).</summary>
    private async Task<bool> ReportAsync(AgentHubClient portal, DeviceActionReport report)
    {
        try
        {
            await portal.ReportAction(report.Message.Length > DeviceActionReport.MaxMessageLength
                ? report with { Message = report.Message[..DeviceActionReport.MaxMessageLength] } : report);
            return true;
        }
        catch (AgentHubRejectedException ex)
        {
            LogNotReported(logger, report.ActionId, ex.Message);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The portal calls the action failed when no answer comes in time.
            LogNotReported(logger, report.ActionId, ex.Message);
            return false;
        }
    }

    private static DeviceActionReport Failed(DeviceActionJob job, string reason) => new(job.ActionId, DeviceActionState.Failed, reason);

    private static string Megabytes(long bytes) => $"{bytes / 1024d / 1024d:0.#} MB";

    [LoggerMessage(Level = LogLevel.Information, Message = "Running action {ActionId} ({Kind}) from the portal")]
    private static partial void LogRunning(ILogger logger, string actionId, DeviceActionKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restarting the agent for action {ActionId} from the portal (exit code 10)")]
    private static partial void LogRestarting(ILogger logger, string actionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebooting the host for action {ActionId} from the portal: {Command}")]
    private static partial void LogRebooting(ILogger logger, string actionId, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report action {ActionId}: {Error}")]
    private static partial void LogNotReported(ILogger logger, string actionId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read or update the actions folder after connecting: {Error}")]
    private static partial void LogActionFilesFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pending action file was damaged and is removed ({Problem}); its outcome cannot be reported")]
    private static partial void LogPendingDamaged(ILogger logger, string problem);
}
