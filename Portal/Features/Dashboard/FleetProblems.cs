using System.Globalization;
using Portal.Shared.Deployments;
using Portal.Shared.Workloads;

namespace Portal.Features.Dashboard;

public enum ProblemKind
{
    AlertFiring,
    WorkloadFailed,
    RolloutPaused,
    RolloutFailed,
    DeviceOffline,
}

/// <summary>One thing on the fleet that needs someone: what, where, since when, and the page to act on it.</summary>
public sealed record FleetProblem(ProblemKind Kind, string Title, string Detail, string Href, DateTimeOffset? Since);

/// <summary>The problems, most urgent first, and how many of each kind there are (the list itself is capped).</summary>
public sealed record FleetProblemList(IReadOnlyList<FleetProblem> Items, IReadOnlyDictionary<ProblemKind, int> Counts)
{
    public int Total => Counts.Values.Sum();
}

public sealed record DeviceFact(string Id, string Name, bool Online, DateTimeOffset EnrolledAt, DateTimeOffset? LastSeenAt);

public sealed record ReportFact(string DeviceId, DateTimeOffset? ReportedAt, IReadOnlyList<WorkloadStatus> Workloads);

/// <summary>A firing alert: its rule, what it is on, what was seen, and whether someone acknowledged it.</summary>
public sealed record AlertFact(long Id, string RuleName, string SubjectName, string Summary, bool Critical, bool Acknowledged, DateTimeOffset? FiredAt);

public sealed record DeploymentFact(string Id, string Name, DeploymentState State, string? StateReason, DateTimeOffset UpdatedAt);

/// <summary>
/// What the dashboard leads with: failed workloads, paused and failed rollouts, offline devices. Pure: it is given the
/// facts and the time. Failed rollouts count for a week (older ones are history, on the deployments page); many
/// offline devices become one line instead of drowning the rest.
/// </summary>
public static class FleetProblems
{
    public const int MaxItems = 12;
    public const int OfflineListedOneByOne = 5;
    public static readonly TimeSpan FailedRolloutsShownFor = TimeSpan.FromDays(7);

    public static FleetProblemList Plan(IReadOnlyList<DeviceFact> devices, IReadOnlyList<ReportFact> reports, IReadOnlyList<DeploymentFact> deployments, DateTimeOffset now,
        IReadOnlyList<AlertFact>? alerts = null)
    {
        // Firing alerts first: nobody acknowledged before acknowledged, critical before the rest, newest first.
        var firing = (alerts ?? []).OrderBy(a => a.Acknowledged).ThenByDescending(a => a.Critical).ThenByDescending(a => a.FiredAt)
            .Select(a => new FleetProblem(ProblemKind.AlertFiring, $"{a.RuleName} on {a.SubjectName}",
                a.Summary + (a.Acknowledged ? " Acknowledged." : ""), $"/alerts/{a.Id}", a.FiredAt))
            .ToList();
        var names = devices.ToDictionary(d => d.Id, d => d.Name, StringComparer.Ordinal);
        var failedWorkloads = reports
            .Where(r => names.ContainsKey(r.DeviceId))
            .SelectMany(r => r.Workloads.Where(w => w.State == WorkloadState.Failed).Select(w => WorkloadFailed(names[r.DeviceId], r, w, devices)))
            .OrderByDescending(p => p.Since).ToList();
        var paused = deployments.Where(d => d.State == DeploymentState.Paused)
            .Select(d => new FleetProblem(ProblemKind.RolloutPaused, $"Rollout of {d.Name} is paused",
                d.StateReason ?? "Paused by an operator. Resume it, or roll it back.", $"/deployments/{d.Id}", d.UpdatedAt))
            .OrderByDescending(p => p.Since).ToList();
        var failedRollouts = deployments
            .Where(d => d.State is DeploymentState.Failed or DeploymentState.CompletedWithFailures && now - d.UpdatedAt <= FailedRolloutsShownFor)
            .Select(d => new FleetProblem(ProblemKind.RolloutFailed,
                d.State == DeploymentState.Failed ? $"Deployment {d.Name} failed" : $"Deployment {d.Name} completed with failures",
                d.StateReason ?? "Some devices could not run it: open it to see which and why.", $"/deployments/{d.Id}", d.UpdatedAt))
            .OrderByDescending(p => p.Since).ToList();
        var offline = devices.Where(d => !d.Online).OrderByDescending(d => d.LastSeenAt ?? d.EnrolledAt).ToList();
        var offlineItems = offline.Count <= OfflineListedOneByOne
            ? offline.Select(Offline).ToList()
            : [new FleetProblem(ProblemKind.DeviceOffline, $"{offline.Count} devices are offline",
                $"Including {string.Join(", ", offline.Take(3).Select(d => d.Name))}. Their workloads keep running as last deployed; nothing new reaches them until they reconnect.",
                "/devices?status=Offline", offline[0].LastSeenAt)];

        var items = firing.Concat(failedWorkloads).Concat(paused).Concat(failedRollouts).Concat(offlineItems).Take(MaxItems).ToList();
        var counts = new Dictionary<ProblemKind, int>
        {
            [ProblemKind.AlertFiring] = firing.Count,
            [ProblemKind.WorkloadFailed] = failedWorkloads.Count,
            [ProblemKind.RolloutPaused] = paused.Count,
            [ProblemKind.RolloutFailed] = failedRollouts.Count,
            [ProblemKind.DeviceOffline] = offline.Count,
        };
        return new FleetProblemList(items, counts);
    }

    private static FleetProblem WorkloadFailed(string deviceName, ReportFact report, WorkloadStatus workload, IReadOnlyList<DeviceFact> devices)
    {
        var online = devices.First(d => d.Id == report.DeviceId).Online;
        var reason = string.IsNullOrWhiteSpace(workload.Reason) ? "It stopped and is not running." : workload.Reason.Trim().TrimEnd('.') + ".";
        var restarts = workload.RestartCount > 0 ? string.Create(CultureInfo.InvariantCulture, $" Restarted {workload.RestartCount} times.") : "";
        var stale = online ? "" : " (last report before the device went offline)";
        return new FleetProblem(ProblemKind.WorkloadFailed, $"{workload.Name} failed on {deviceName}", $"{reason}{restarts}{stale}",
            $"/devices/{report.DeviceId}", report.ReportedAt);
    }

    private static FleetProblem Offline(DeviceFact device) => device.LastSeenAt is null
        ? new FleetProblem(ProblemKind.DeviceOffline, $"{device.Name} has never connected",
            "It was enrolled but its agent has not connected since: check that the agent runs and can reach the portal.", $"/devices/{device.Id}", device.EnrolledAt)
        : new FleetProblem(ProblemKind.DeviceOffline, $"{device.Name} is offline",
            "Its workloads keep running as last deployed; nothing new reaches it until it reconnects.", $"/devices/{device.Id}", device.LastSeenAt);
}
