using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Models.Monitoring;

/// <summary>Capturing: the baseline device's next requests are being collected. Ready: drift is measured against it.</summary>
[JsonConverter(typeof(EnumNameConverter<BaselineState>))]
public enum BaselineState
{
    Capturing,
    Ready,
}

/// <summary>
/// A model version's baseline: what its inputs and outputs looked like on <see cref="DeviceId"/> over
/// <see cref="TargetRequests"/> requests. Drift on every device serving the version is measured against it.
/// </summary>
public sealed record BaselineDto(
    string Model,
    int Version,
    BaselineState State,
    string DeviceId,
    string DeviceName,
    int TargetRequests,
    long CapturedRequests,
    IReadOnlyList<string> Features,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadyAt);

/// <summary>One tensor of a reference request: its name (one of the version's inputs), shape and values, row-major.</summary>
public sealed record ReferenceTensor(string Name, IReadOnlyList<long> Shape, IReadOnlyList<double> Data);

/// <summary>
/// Reference data for a version's baseline, as requests of the Open Inference Protocol carry their inputs: each request
/// is one set of input tensors. The baseline then covers the inputs only (outputs need the model run on a device).
/// </summary>
public sealed record UploadBaselineRequest(IReadOnlyList<IReadOnlyList<ReferenceTensor>> Requests)
{
    public const int MaxValues = 1_000_000;
}

/// <summary>Captures a baseline from the next <see cref="Requests"/> requests (50-100000) the device serving the version gets.</summary>
public sealed record CaptureBaselineRequest(string DeviceId, int Requests = 1000);

/// <summary>
/// One window's drift on one device: the population stability index of each feature against the baseline's deciles
/// (under 0.1: stable; 0.1-0.25: moderate; over 0.25: significant), the worst of them, and how many requests it saw.
/// </summary>
public sealed record DriftPointDto(
    string DeviceId,
    string DeviceName,
    DateTimeOffset At,
    double MaxPsi,
    string WorstFeature,
    long Requests,
    IReadOnlyDictionary<string, double> Features);
