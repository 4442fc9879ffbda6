using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Deployments;

[JsonConverter(typeof(EnumNameConverter<RolloutKind>))]
public enum RolloutKind
{
    AllAtOnce,
    Rolling,
}
