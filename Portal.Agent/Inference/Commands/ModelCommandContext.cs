using Portal.Agent.Enrollment;
using Portal.Shared.Workloads;

namespace Portal.Agent.Inference.Commands;

/// <summary>
/// What model commands need while they run: the cache and the host, the device's credentials for downloads, where to say how
/// far a model is, and what was loaded (the driver logs and reports it). Fetched files are handed from fetch to load here.
/// </summary>
public sealed record ModelCommandContext(
    ArtifactCache Artifacts,
    ModelHost Host,
    AgentCredentials Credentials,
    int IntraOpThreads,
    Action<ModelWorkloadSpec, WorkloadState, int?> Progress,
    Action<ServedModel> Loaded)
{
    public Dictionary<string, string> Fetched { get; } = new(StringComparer.Ordinal);
}
