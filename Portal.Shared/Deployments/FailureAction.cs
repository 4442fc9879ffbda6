using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Deployments;

/// <summary>What a rolling deployment does when its failure threshold is crossed.</summary>
[JsonConverter(typeof(EnumNameConverter<FailureAction>))]
public enum FailureAction
{
    Pause,
    Rollback,
}
