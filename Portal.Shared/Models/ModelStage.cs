using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Models;

/// <summary>Where a model version stands in its life: uploaded, being tried, serving, retired.</summary>
[JsonConverter(typeof(EnumNameConverter<ModelStage>))]
public enum ModelStage
{
    Draft,
    Staging,
    Production,
    Archived,
}
