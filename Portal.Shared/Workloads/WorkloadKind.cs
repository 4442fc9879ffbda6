using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Workloads;

/// <summary>What a workload is on its device: a container run by the engine, a model served by the agent itself, or a stack of containers (a Compose app).</summary>
[JsonConverter(typeof(EnumNameConverter<WorkloadKind>))]
public enum WorkloadKind
{
    Container,
    Model,
    Stack,
}
