namespace Portal.Shared.Models;

/// <summary>
/// One input or output of a model: its name, element type in Open Inference Protocol names (FP32, INT64, ...) and
/// shape, where -1 marks a dimension fixed only at run time; <see cref="DimNames"/> holds that dimension's symbolic
/// name ("batch") or an empty string.
/// </summary>
public sealed record TensorSignature(string Name, string Datatype, IReadOnlyList<long> Shape, IReadOnlyList<string> DimNames)
{
    /// <summary>"batch × 4", as people read it.</summary>
    public string ShapeText() => Shape.Count == 0
        ? "scalar"
        : string.Join(" × ", Shape.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : i < DimNames.Count && DimNames[i].Length > 0 ? DimNames[i] : "?"));
}
