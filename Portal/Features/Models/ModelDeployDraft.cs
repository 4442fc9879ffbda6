using Portal.Components.Shared;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>A model version's part of the deploy dialog: which execution provider, and whether to send the original file.</summary>
public sealed class ModelDeployDraft(ModelVersionDto version, string? flag = null) : DeployDraft
{
    public ModelVersionDto Version { get; } = version;

    /// <summary>Why this version is flagged (failed a rollout, rolled back): said before deploying it again.</summary>
    public string? Flag { get; } = flag;

    public string Provider { get; set; } = ExecutionProviders.Cpu;

    public bool UseOriginal { get; set; }

    public override Type Fields => typeof(ModelDeployFields);

    public override string SuggestedName => $"{Version.ModelName} v{Version.Version}";

    public override string ReadyWord => "Ready";

    /// <summary>Which file devices get, and its size.</summary>
    public string FileNote => Version.OptimizedSizeBytes is not { } optimized
        ? $"This version has no optimized copy: devices get the original ({Humanize.FileSize(Version.SizeBytes)})."
        : UseOriginal
            ? $"Devices get the file exactly as uploaded ({Humanize.FileSize(Version.SizeBytes)})."
            : $"Devices get the optimized copy ({Humanize.FileSize(optimized)}; constant folding and redundant nodes removed, same outputs).";

    public override CreateDeploymentRequest ApplyTo(CreateDeploymentRequest request) => request with
    {
        ModelId = Version.ModelId,
        ModelVersion = Version.Version,
        ExecutionProvider = Provider,
        UseOriginal = UseOriginal,
    };
}
