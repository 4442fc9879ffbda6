using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler.Commands;

/// <summary>Pulls the image when the engine lacks it, after checking there is room for it.</summary>
public sealed class PullImageCommand(string workload, string image) : IPlanCommand
{
    public string Workload => workload;

    public async Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (await context.Runtime.ImageExistsAsync(image, cancellationToken))
        {
            return;
        }

        var free = await context.Runtime.FreeDiskBytesAsync(cancellationToken);
        if (free is { } bytes && bytes < context.MinFreeDiskBytes)
        {
            throw new ContainerRuntimeException(
                $"Not enough free disk to pull {image}: {bytes / (1024 * 1024)} MiB free, at least {context.MinFreeDiskBytes / (1024 * 1024)} MiB required (Agent:MinFreeDiskMb).");
        }

        context.Progress(workload, WorkloadState.Pulling, 0);
        await context.Runtime.PullAsync(image, new InlineProgress(p => context.Progress(workload, WorkloadState.Pulling, p)), cancellationToken);
    }

    public string Show() => $"docker pull {image}";
}

/// <summary>Reports on the caller's thread, so no progress arrives after the pull has returned.</summary>
internal sealed class InlineProgress(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}
