using Portal.Agent.Docker;
using Portal.Agent.Reconciler;
using Portal.Agent.Reconciler.Commands;
using Portal.Agent.Tests.Reconciler;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Docker;

/// <summary>
/// A pull from a registry the device cannot reach, against the real engine named by <c>PORTAL_TEST_DOCKER</c> (which has no
/// registry access at all, so <c>ghcr.io</c> is unreachable from it); skipped without one.
/// </summary>
public sealed class PullFailureTests : IDisposable
{
    private const string Unreachable = "ghcr.io/x/y:1";

    private readonly PullRetriesTests.ManualClock clock = new();
    private readonly List<(string Workload, WorkloadState State)> progress = [];
    private DockerContainerRuntime? runtime;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PullCommand_RegistryUnreachable_StaysFailedWithASentenceTheRawErrorAndTheNextTry()
    {
        var pulls = new PullRetries(clock);
        var context = new ContainerCommandContext(Runtime(), 1, 0, (w, s, _) => progress.Add((w, s)), pulls);
        var pull = new PullImageCommand("web", Unreachable);

        var first = await Assert.ThrowsAsync<ContainerRuntimeException>(() => pull.ExecuteAsync(context, Ct)).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.StartsWith("The registry ghcr.io could not be reached from the device: check its network or use a private registry. Next try in 30 s (attempt 2). Docker said: ",
            first.Message, StringComparison.Ordinal);
        Assert.Contains("ghcr.io", first.Message[first.Message.IndexOf("Docker said:", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.False(first.Retryable);

        // The next reconcile, before the next try: the same reason, no pull, no flip back to Pulling.
        clock.Advance(TimeSpan.FromSeconds(15));
        var waiting = await Assert.ThrowsAsync<ContainerRuntimeException>(() => pull.ExecuteAsync(context, Ct));
        Assert.Contains("Next try in 15 s (attempt 2).", waiting.Message, StringComparison.Ordinal);

        // The next try is due: the pull runs again and fails again, still without reporting Pulling.
        clock.Advance(TimeSpan.FromSeconds(15));
        var second = await Assert.ThrowsAsync<ContainerRuntimeException>(() => pull.ExecuteAsync(context, Ct)).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.Contains("Next try in 60 s (attempt 3).", second.Message, StringComparison.Ordinal);
        Assert.Equal(("web", WorkloadState.Pulling), Assert.Single(progress));
    }

    private DockerContainerRuntime Runtime()
    {
        var endpoint = Environment.GetEnvironmentVariable("PORTAL_TEST_DOCKER");
        if (string.IsNullOrEmpty(endpoint) || (endpoint.StartsWith("unix://", StringComparison.Ordinal) && !File.Exists(new Uri(endpoint).AbsolutePath)))
        {
            Assert.Skip("No Docker engine: set PORTAL_TEST_DOCKER to an engine's endpoint (e.g. unix:///run/portal-test/docker.sock).");
        }

        runtime = new DockerContainerRuntime(endpoint, "test-" + Guid.NewGuid().ToString("N")[..12], TimeProvider.System);
        return runtime;
    }

    public void Dispose() => runtime?.Dispose();
}
