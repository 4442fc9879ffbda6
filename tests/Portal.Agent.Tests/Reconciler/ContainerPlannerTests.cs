using Portal.Agent.Docker;
using Portal.Agent.Reconciler;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Reconciler;

public sealed class ContainerPlannerTests
{
    private readonly ContainerPlanner planner = new("dev1");

    [Fact]
    public void Plan_FreshInstall_PullsCreatesAndStarts()
    {
        var plan = planner.Create(Desired(Spec("web", "h1")), []);

        Assert.Equal(
            ["docker pull local/busybox:1", "docker create --name portal-web-dev1 local/busybox:1", "docker start portal-web-dev1"],
            plan.Show());
    }

    [Fact]
    public void Plan_SpecChanged_PullsThenReplacesTheContainer()
    {
        var plan = planner.Create(Desired(Spec("web", "h2", "local/busybox:2")), [Container("c1", "web", "h1")]);

        Assert.Equal(
            ["docker pull local/busybox:2", "docker stop c1", "docker rm c1", "docker create --name portal-web-dev1 local/busybox:2", "docker start portal-web-dev1"],
            plan.Show());
    }

    [Fact]
    public void Plan_WorkloadRemoved_StopsThenRemovesContainer()
    {
        var plan = planner.Create(Desired(Spec("web", "h1")), [Container("c1", "web", "h1"), Container("c2", "mqtt", "h9")]);

        Assert.Equal(["docker stop c2", "docker rm c2"], plan.Show());
    }

    [Fact]
    public void Plan_ContainerDied_StartsItAgain()
    {
        var plan = planner.Create(Desired(Spec("web", "h1")), [Container("c1", "web", "h1", running: false)]);

        Assert.Equal(["docker start c1"], plan.Show());
    }

    [Fact]
    public void Plan_ContainerRemovedByHand_CreatesItAgain()
    {
        var plan = planner.Create(Desired(Spec("web", "h1"), Spec("mqtt", "h3")), [Container("c3", "mqtt", "h3")]);

        Assert.Equal(
            ["docker pull local/busybox:1", "docker create --name portal-web-dev1 local/busybox:1", "docker start portal-web-dev1"],
            plan.Show());
    }

    [Fact]
    public void Plan_EverythingRunsAsDesired_NothingToDo()
    {
        var plan = planner.Create(Desired(Spec("web", "h1"), Spec("mqtt", "h3")), [Container("c1", "web", "h1"), Container("c3", "mqtt", "h3")]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_NewRevisionSameSpec_LeavesHealthyContainerAlone()
    {
        var plan = planner.Create(DesiredState.Of(7, [Spec("web", "h1")]), [Container("c1", "web", "h1") with { Revision = 3 }]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_DockerRestartingIt_LeavesItToDocker()
    {
        var plan = planner.Create(Desired(Spec("web", "h1")), [Container("c1", "web", "h1", running: false) with { Restarting = true }]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_EmptyDesiredState_RemovesEverythingItOwns()
    {
        var plan = planner.Create(DesiredState.Empty, [Container("c1", "web", "h1")]);

        Assert.Equal(["docker stop c1", "docker rm c1"], plan.Show());
    }

    private static DesiredState Desired(params WorkloadSpec[] specs) => DesiredState.Of(1, specs);

    internal static WorkloadSpec Spec(string name, string hash, string image = "local/busybox:1") =>
        new(name, "dep1", image, ["sleep", "3600"], new Dictionary<string, string>(), [], [], "unless-stopped", "host", new ResourceLimits(), hash);

    internal static ContainerInfo Container(string id, string workload, string hash, bool running = true) =>
        new(id, workload, "dep1", 1, hash, "local/busybox:1", running, false, running ? 0 : 137, null, DateTimeOffset.UtcNow, 0);
}
