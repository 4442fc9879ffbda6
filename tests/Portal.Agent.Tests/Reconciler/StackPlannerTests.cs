using Portal.Agent.Docker;
using Portal.Agent.Reconciler;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Reconciler;

public sealed class StackPlannerTests
{
    private readonly StackPlanner planner = new("dev1");

    [Fact]
    public void Plan_FreshStack_StartsDependenciesFirst_AndLeavesWhatWaitsForHealthyToALaterPass()
    {
        // web is listed first but waits for db to be healthy: its image is pulled, and it is created in a later pass;
        // cache only needs db started.
        var plan = planner.Create(Desired(Stack("h1", Service("web", "w1", Healthy("db")), Service("cache", "c1", Started("db")), Service("db", "d1"))), []);

        Assert.Equal(
        [
            "docker pull local/busybox:1", "docker create --name portal-app.db-dev1 local/busybox:1", "docker start portal-app.db-dev1",
            "docker pull local/busybox:1",
            "docker pull local/busybox:1", "docker create --name portal-app.cache-dev1 local/busybox:1", "docker start portal-app.cache-dev1",
        ], plan.Show());
    }

    [Theory]
    [InlineData("starting", false, "Waits for 'db' to be healthy")]
    [InlineData("unhealthy", true, "'db' is unhealthy, so 'web' was not started")]
    public void Plan_DependencyNotHealthyYet_WebIsNotCreated_AndItsStatusSaysWhy(string health, bool failed, string reason)
    {
        var desired = Desired(Stack("h1", Service("web", "w1", Healthy("db")), Service("db", "d1")));
        List<ContainerInfo> current = [Container("c-db", "db", "d1", health: health)];

        Assert.Equal(["docker pull local/busybox:1"], planner.Create(desired, current).Show());
        var web = StackStatusBuilder.Build(desired, current, new Dictionary<string, string>(), new Dictionary<string, ContainerStats>(), DateTimeOffset.UnixEpoch.AddMinutes(1))
            .Single().Services!.Single(s => s.Service == "web");
        Assert.Equal((failed ? WorkloadState.Failed : WorkloadState.Pending, reason), (web.State, web.Reason));
    }

    [Fact]
    public void Plan_DependencyBeingRecreated_ItsOldHealthyContainerDoesNotOpenTheGate_AndTheOldWebKeepsServingMeanwhile()
    {
        var plan = planner.Create(
            Desired(Stack("h2", Service("web", "w2", Healthy("db")), Service("db", "d2"))),
            [Container("c-db", "db", "d1"), Container("c-web", "web", "w1")]);

        // web's new image is pulled now; its old container is replaced only once the new db is healthy (a later pass).
        Assert.Equal(
        [
            "docker pull local/busybox:1", "docker stop c-db", "docker rm c-db", "docker create --name portal-app.db-dev1 local/busybox:1", "docker start portal-app.db-dev1",
            "docker pull local/busybox:1",
        ], plan.Show());

        var later = planner.Create(
            Desired(Stack("h2", Service("web", "w2", Healthy("db")), Service("db", "d2"))),
            [Container("c-db2", "db", "d2"), Container("c-web", "web", "w1")]);
        Assert.Equal(
        [
            "docker pull local/busybox:1", "docker stop c-web", "docker rm c-web",
            "docker create --name portal-app.web-dev1 local/busybox:1", "docker start portal-app.web-dev1",
        ], later.Show());
    }

    [Fact]
    public void Plan_OneServiceChanged_RecreatesOnlyIt()
    {
        var plan = planner.Create(
            Desired(Stack("h2", Service("web", "w2", Healthy("db")), Service("db", "d1"))),
            [Container("c-db", "db", "d1"), Container("c-web", "web", "w1")]);

        Assert.Equal(
        [
            "docker pull local/busybox:1", "docker stop c-web", "docker rm c-web",
            "docker create --name portal-app.web-dev1 local/busybox:1", "docker start portal-app.web-dev1",
        ], plan.Show());
    }

    [Fact]
    public void Plan_ServiceOnAPrivateRegistry_PullsWithItsCredential_WithoutShowingThePassword()
    {
        var db = Service("db", "d1");
        var privateDb = db with { Container = db.Container with { Image = "127.0.0.1:5000/db:1", Registry = new RegistryAuth("127.0.0.1:5000", "bot", "s3cret") } };

        var plan = planner.Create(Desired(Stack("h1", privateDb)), []);

        Assert.Equal("docker pull 127.0.0.1:5000/db:1 (as bot on 127.0.0.1:5000)", plan.Show().First());
        Assert.DoesNotContain(plan.Show(), line => line.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_EverythingRuns_NothingToDo()
    {
        var plan = planner.Create(Desired(Stack("h1", Service("web", "w1", Healthy("db")), Service("db", "d1"))), [Container("c-db", "db", "d1"), Container("c-web", "web", "w1")]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_ServiceDied_StartsItAfterItsDependencyIsHealthy()
    {
        var plan = planner.Create(Desired(Stack("h1", Service("web", "w1", Healthy("db")), Service("db", "d1"))), [Container("c-db", "db", "d1"), Container("c-web", "web", "w1", running: false)]);

        Assert.Equal(["docker start c-web"], plan.Show());
    }

    [Fact]
    public void Status_ServiceExitedWhileItsDependencyIsNotHealthy_SaysWhatItWaitsFor()
    {
        var desired = Desired(Stack("h1", Service("web", "w1", Healthy("db")), Service("db", "d1")));
        List<ContainerInfo> current = [Container("c-db", "db", "d1", health: "starting"), Container("c-web", "web", "w1", running: false)];

        Assert.Empty(planner.Create(desired, current).Show());
        var web = StackStatusBuilder.Build(desired, current, new Dictionary<string, string>(), new Dictionary<string, ContainerStats>(), DateTimeOffset.UnixEpoch.AddMinutes(1))
            .Single().Services!.Single(s => s.Service == "web");
        Assert.Equal(WorkloadState.Pending, web.State);
        Assert.StartsWith("Exited with code 0", web.Reason, StringComparison.Ordinal);
        Assert.EndsWith("Waits for 'db' to be healthy", web.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ServiceLeftTheStack_IsRemoved()
    {
        var plan = planner.Create(Desired(Stack("h3", Service("db", "d1"))), [Container("c-db", "db", "d1"), Container("c-web", "web", "w1")]);

        Assert.Equal(["docker stop c-web", "docker rm c-web"], plan.Show());
    }

    [Fact]
    public void Plan_StackNoLongerDesired_RemovesEveryContainerAndItsNetwork()
    {
        var plan = planner.Create(Desired(), [Container("c-db", "db", "d1"), Container("c-web", "web", "w1")]);

        Assert.Equal(["docker stop c-db", "docker rm c-db", "docker stop c-web", "docker rm c-web", "docker network rm (stack app)"], plan.Show());
    }

    [Fact]
    public void Plan_PlainContainers_AreNotTheStackPlannersAndStacksAreNotTheContainerPlanners()
    {
        var plain = new ContainerInfo("c-plain", "mqtt", "d", 1, "h", "local/busybox:1", true, false, 0, null, DateTimeOffset.UnixEpoch, 0);

        Assert.True(planner.Create(Desired(), [plain]).IsEmpty);
        Assert.True(new ContainerPlanner("dev1").Create(Desired(), [Container("c-db", "db", "d1")]).IsEmpty);
    }

    private static DesiredState Desired(params StackSpec[] stacks) => new(1, [.. stacks.Select(DesiredWorkload.Of)]);

    private static StackSpec Stack(string hash, params StackService[] services) => new("app", "dep", services, hash);

    private static StackService Service(string name, string hash, params ServiceDependency[] dependsOn) => new(
        name,
        new WorkloadSpec(name, "dep", "local/busybox:1", [], new Dictionary<string, string>(), [], [], "unless-stopped", "host", new ResourceLimits(), hash),
        dependsOn,
        name == "db" ? new HealthCheckSpec(["CMD", "true"]) : null);

    private static ServiceDependency Healthy(string service) => new(service, DependencyCondition.ServiceHealthy);

    private static ServiceDependency Started(string service) => new(service);

    private static ContainerInfo Container(string id, string service, string hash, bool running = true, string health = "healthy") =>
        new(id, $"app.{service}", "dep", 1, hash, "local/busybox:1", running, false, 0, null, DateTimeOffset.UnixEpoch, 0, "app", service, health);
}
