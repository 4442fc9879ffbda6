using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler.Commands;

/// <summary>What commands need while they run: the engine, the revision being applied, and where to say how far a workload is.</summary>
public sealed record CommandContext(IContainerRuntime Runtime, long Revision, long MinFreeDiskBytes, Action<string, WorkloadState, int?> Progress);
