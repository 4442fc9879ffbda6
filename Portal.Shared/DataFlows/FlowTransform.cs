using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.DataFlows;

/// <summary>What a transform does with its input's latest value.</summary>
[JsonConverter(typeof(EnumNameConverter<FlowTransformKind>))]
public enum FlowTransformKind
{
    /// <summary><c>value × Factor + Offset</c>.</summary>
    Scale,

    /// <summary>The value held within <c>[Min, Max]</c> (either bound may be left out).</summary>
    Clamp,

    /// <summary>The mean of the last <c>Size</c> values (of fewer until <c>Size</c> arrived).</summary>
    MovingAverage,

    /// <summary>The last <c>Size</c> values, oldest first, as one vector (for a model input); nothing until <c>Size</c> arrived.</summary>
    Window,
}

/// <summary>A named value computed from another one each time that one changes.</summary>
public sealed record FlowTransform(
    string Name,
    FlowTransformKind Kind,
    string Input,
    double? Factor = null,
    double? Offset = null,
    double? Min = null,
    double? Max = null,
    int? Size = null,
    string? Unit = null);
