using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Workloads;

/// <summary>What a workload is on its device: a container run by the engine, a model served by the agent itself, a stack of containers (a Compose app), or a data flow the agent runs.</summary>
[JsonConverter(typeof(EnumNameConverter<WorkloadKind>))]
public enum WorkloadKind
{
    Container,
    Model,
    Stack,

    /// <summary>A data flow the agent runs itself (plant connections, transforms, a model step, sinks).</summary>
    DataFlow,

    /// <summary>The agent itself at a released version (updated over the air, rolled back by itself when the new one fails).</summary>
    AgentRelease,
}
