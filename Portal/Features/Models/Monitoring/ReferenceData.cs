using Portal.Agent.Inference.Monitoring;
using Portal.Shared.Models;
using Portal.Shared.Models.Monitoring;

namespace Portal.Features.Models.Monitoring;

/// <summary>
/// Reference data uploaded for a baseline, checked against the version's inputs and measured exactly as agents measure
/// what they are sent (<see cref="MonitoredFeatures"/>, <see cref="FeatureSketch"/>), so the two compare.
/// </summary>
public static class ReferenceData
{
    public static string? Problem(UploadBaselineRequest? request, IReadOnlyList<TensorSignature> inputs)
    {
        if (request?.Requests is not { Count: > 0 } requests)
        {
            return "Send reference requests: {\"requests\": [[{\"name\", \"shape\", \"data\"}, …], …]}, each one set of the version's inputs.";
        }

        if (requests.Sum(r => r?.Sum(t => (long)(t?.Data?.Count ?? 0)) ?? 0) > UploadBaselineRequest.MaxValues)
        {
            return $"At most {UploadBaselineRequest.MaxValues} values in all: send a sample of the reference data.";
        }

        foreach (var tensor in requests.SelectMany(r => r ?? []))
        {
            if (tensor?.Name is null || inputs.All(i => i.Name != tensor.Name))
            {
                return $"'{tensor?.Name}' is not an input of this version; its inputs are {string.Join(", ", inputs.Select(i => i.Name))}.";
            }

            if (tensor.Shape is null || tensor.Data is null || tensor.Shape.Any(d => d < 1) || tensor.Shape.Aggregate(1L, (a, d) => a * d) != tensor.Data.Count)
            {
                return $"The shape of '{tensor.Name}' must be positive and hold exactly its {tensor.Data?.Count ?? 0} values.";
            }

            if (tensor.Data.Any(v => !double.IsFinite(v)))
            {
                return $"'{tensor.Name}' holds a value that is not a finite number.";
            }
        }

        return null;
    }

    /// <summary>The features of the reference requests, or null when <see cref="Problem"/> has something to say.</summary>
    public static List<FeatureStats>? Sketch(UploadBaselineRequest? request, IReadOnlyList<TensorSignature> inputs)
    {
        if (Problem(request, inputs) is not null)
        {
            return null;
        }

        var sketches = new Dictionary<string, FeatureSketch>(StringComparer.Ordinal);
        foreach (var tensor in request!.Requests.SelectMany(r => r))
        {
            MonitoredFeatures.Extract("in", tensor.Name, tensor.Shape, tensor.Data.ToArray(), ModelMonitor.MaxColumns, (name, value) =>
            {
                if (!sketches.TryGetValue(name, out var sketch) && sketches.Count < FeatureStats.MaxFeatures)
                {
                    sketches[name] = sketch = new FeatureSketch(name);
                }

                sketch?.Add(value);
            });
        }

        return sketches.Values.Select(s => s.Snapshot()).ToList();
    }
}
