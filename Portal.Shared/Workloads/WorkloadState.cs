using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Workloads;

/// <summary>Where one workload stands on its device. Containers go Pulling, Starting, Running; models Downloading, Verifying, Loading, Ready.</summary>
[JsonConverter(typeof(EnumNameConverter<WorkloadState>))]
public enum WorkloadState
{
    Pending,
    Pulling,
    Starting,
    Running,
    Failed,
    Stopped,

    /// <summary>A model's artifact is being fetched (progress in percent).</summary>
    Downloading,

    /// <summary>A model's artifact is being checked against its SHA-256.</summary>
    Verifying,

    /// <summary>A model is being loaded into an inference session.</summary>
    Loading,

    /// <summary>A model is served on the device's inference endpoint.</summary>
    Ready,
}
