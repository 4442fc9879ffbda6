using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Docker;
using Portal.Agent.Reconciler;
using Portal.Agent.Reconciler.Commands;

namespace Portal.Agent.Tests.Reconciler;

public sealed class PlanRunnerTests
{
    private readonly List<string> ran = [];

    [Fact]
    public async Task Run_CommandFailsTwiceThenWorks_RetriesAndCarriesOn()
    {
        var flaky = new Step(ran, "web", "docker pull a", failures: 2);
        var plan = new Plan<ContainerCommandContext>([flaky, new Step(ran, "web", "docker start web")]);

        var failures = await new PlanRunner<ContainerCommandContext>(TimeProvider.System, NullLogger<PlanRunner<ContainerCommandContext>>.Instance).RunAsync(plan, Context(), 1, TestContext.Current.CancellationToken);

        Assert.Empty(failures);
        Assert.Equal(["docker pull a", "docker pull a", "docker pull a", "docker start web"], ran);
    }

    [Fact]
    public async Task Run_CommandAlwaysFails_SkipsTheRestOfItsWorkloadButNotOthers()
    {
        var plan = new Plan<ContainerCommandContext>([
            new Step(ran, "web", "docker pull missing", failures: int.MaxValue),
            new Step(ran, "web", "docker create web"),
            new Step(ran, "mqtt", "docker start mqtt"),
        ]);

        var failures = await new PlanRunner<ContainerCommandContext>(TimeProvider.System, NullLogger<PlanRunner<ContainerCommandContext>>.Instance).RunAsync(plan, Context(), 1, TestContext.Current.CancellationToken);

        Assert.Equal("engine says no", failures["web"]);
        Assert.Equal(["docker pull missing", "docker pull missing", "docker pull missing", "docker start mqtt"], ran);
    }

    [Fact]
    public async Task Run_FailureThatKeepsItsOwnSchedule_IsNotRetriedAtOnce()
    {
        var plan = new Plan<ContainerCommandContext>([new Step(ran, "web", "docker pull ghcr.io/x/y:1", failures: int.MaxValue, retryable: false), new Step(ran, "mqtt", "docker start mqtt")]);

        var failures = await new PlanRunner<ContainerCommandContext>(TimeProvider.System, NullLogger<PlanRunner<ContainerCommandContext>>.Instance).RunAsync(plan, Context(), 1, TestContext.Current.CancellationToken);

        Assert.Equal("engine says no", failures["web"]);
        Assert.Equal(["docker pull ghcr.io/x/y:1", "docker start mqtt"], ran);
    }

    [Fact]
    public void Backoff_GrowsAndIsCapped()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), PlanRetry.Backoff(0));
        Assert.Equal(TimeSpan.FromMilliseconds(500), PlanRetry.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(4), PlanRetry.Backoff(10));
    }

    private static ContainerCommandContext Context() => new(null!, 1, 0, (_, _, _) => { });

    private sealed class Step(List<string> log, string workload, string text, int failures = 0, bool retryable = true) : IPlanCommand<ContainerCommandContext>
    {
        private int left = failures;

        public string Workload => workload;

        public Task ExecuteAsync(ContainerCommandContext context, CancellationToken cancellationToken)
        {
            log.Add(text);
            return left-- > 0 ? Task.FromException(new ContainerRuntimeException("engine says no") { Retryable = retryable }) : Task.CompletedTask;
        }

        public string Show() => text;
    }
}
