using Portal.Agent.Reconciler.Commands;
using Portal.Shared.Workloads;

namespace Portal.Agent.Inference.Commands;

/// <summary>Downloads the model's file from the portal (resumable) and verifies its SHA-256, unless the cache holds it already.</summary>
public sealed class FetchModelCommand(ModelWorkloadSpec spec) : IPlanCommand<ModelCommandContext>
{
    public string Workload => spec.Name;

    public Task ExecuteAsync(ModelCommandContext context, CancellationToken cancellationToken) => ModelCommandErrors.Run(async () =>
    {
        context.Progress(spec, WorkloadState.Downloading, 0);
        var url = new Uri(new Uri(context.Credentials.PortalUrl), spec.DownloadPath);
        context.Fetched[spec.Name] = await context.Artifacts.FetchAsync(spec.Sha256, spec.SizeBytes, url, context.Credentials.DeviceSecret,
            percent => context.Progress(spec, WorkloadState.Downloading, percent), () => context.Progress(spec, WorkloadState.Verifying, null), cancellationToken);
    });

    public string Show() => $"fetch model {spec.Name} v{spec.Version} sha256:{spec.Sha256[..Math.Min(12, spec.Sha256.Length)]}";
}
