using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler.Commands;

/// <summary>
/// What container commands need while they run: the engine, the revision being applied, where to say how far a workload is, and the
/// failed pulls remembered between reconciles (none: every pull runs, as in one-off plans).
/// </summary>
public sealed record ContainerCommandContext(
    IContainerRuntime Runtime, long Revision, long MinFreeDiskBytes, Action<string, WorkloadState, int?> Progress, PullRetries? Pulls = null);
