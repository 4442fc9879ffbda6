using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler.Commands;

/// <summary>
/// Pulls the image when the engine lacks it, after checking there is room for it. A failure is told as a sentence a person
/// can act on (the engine's text after it) and is not retried at once: <see cref="PullRetries"/> says when.
/// </summary>
public sealed class PullImageCommand(string workload, string image, RegistryAuth? auth = null) : IPlanCommand<ContainerCommandContext>
{
    public string Workload => workload;

    public async Task ExecuteAsync(ContainerCommandContext context, CancellationToken cancellationToken)
    {
        if (await context.Runtime.ImageExistsAsync(image, cancellationToken))
        {
            context.Pulls?.Succeeded(image);
            return;
        }

        if (context.Pulls?.Waiting(image) is { } waiting)
        {
            throw new ContainerRuntimeException(waiting) { Retryable = false };
        }

        var free = await context.Runtime.FreeDiskBytesAsync(cancellationToken);
        if (free is { } bytes && bytes < context.MinFreeDiskBytes)
        {
            throw new ContainerRuntimeException(
                $"Not enough free disk to pull {image}: {bytes / (1024 * 1024)} MiB free, at least {context.MinFreeDiskBytes / (1024 * 1024)} MiB required (Agent:MinFreeDiskMb).");
        }

        // After a failure the workload stays Failed while the next try runs; it shows Pulling again once layers move.
        if (context.Pulls?.HasFailed(image) != true)
        {
            context.Progress(workload, WorkloadState.Pulling, 0);
        }

        try
        {
            await context.Runtime.PullAsync(image, auth, new InlineProgress(p => context.Progress(workload, WorkloadState.Pulling, p)), cancellationToken);
        }
        catch (ContainerRuntimeException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var described = PullErrors.Describe(image, ex.Message);
            throw new ContainerRuntimeException(context.Pulls?.Failed(image, described) ?? described, ex) { Retryable = false };
        }

        context.Pulls?.Succeeded(image);
    }

    // Never the credential: the plan is logged.
    public string Show() => auth is null ? $"docker pull {image}" : $"docker pull {image} (as {auth.Username} on {auth.Server})";
}

/// <summary>Reports on the caller's thread, so no progress arrives after the pull has returned.</summary>
internal sealed class InlineProgress(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}
