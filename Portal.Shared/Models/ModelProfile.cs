using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Models;

/// <summary>
/// What the portal asks an agent to benchmark: the artifact to fetch (by hash, with the device's own credentials),
/// warm-up runs, then <see cref="Runs"/> timed runs on synthetic inputs of the declared shapes.
/// </summary>
public sealed record ProfileJob(string ProfileId, string Model, int Version, string Sha256, long SizeBytes, string DownloadPath, string ExecutionProvider, int WarmupRuns, int Runs);

/// <summary>A device's benchmark of one model version; the latencies are milliseconds per run.</summary>
public sealed record ProfileResult(
    string ExecutionProvider,
    int Runs,
    double LoadMs,
    double MeanMs,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    long MemoryBytes,
    string? Error = null,
    string? Note = null);

/// <summary>A device's answer to a profile job.</summary>
public sealed record ProfileReport(string ProfileId, ProfileResult Result);

/// <summary>One device's row in a version's profile table.</summary>
public sealed record ModelProfileDto(
    long Id,
    string DeviceId,
    string DeviceName,
    int Version,
    ProfileState State,
    ProfileResult? Result,
    string? Error,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? FinishedAt);

[JsonConverter(typeof(EnumNameConverter<ProfileState>))]
public enum ProfileState
{
    Running,
    Done,
    Failed,
}
