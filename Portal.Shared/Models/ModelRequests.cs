namespace Portal.Shared.Models;

/// <summary>Registers a model; its versions are uploaded afterwards.</summary>
public sealed record CreateModelRequest(string Name, string? Description = null, IReadOnlyList<string>? Tags = null);

/// <summary>Changes a version's stage and/or release notes; a null field stays as it is.</summary>
public sealed record UpdateModelVersionRequest(ModelStage? Stage = null, string? ReleaseNotes = null);

/// <summary>Asks devices to benchmark a model version with synthetic inputs.</summary>
public sealed record ProfileModelRequest(IReadOnlyList<string> DeviceIds, string ExecutionProvider = ExecutionProviders.Cpu, int Runs = 100);

/// <summary>Execution providers a deployment may ask for. CUDA is used only where the device has it; otherwise CPU.</summary>
public static class ExecutionProviders
{
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    public static bool IsKnown(string? provider) => provider is Cpu or Cuda;
}
