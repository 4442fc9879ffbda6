using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Workloads;

/// <summary>Compose's <c>depends_on</c> conditions that edge apps use.</summary>
[JsonConverter(typeof(EnumNameConverter<DependencyCondition>))]
public enum DependencyCondition
{
    ServiceStarted,
    ServiceHealthy,
}
