using Portal.Features.Groups;

namespace Portal.Tests.Groups;

public sealed class GroupDeletePlannerTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Members = new()
    {
        ["line3"] = ["p7", "p8", "p9"],
        ["presses"] = ["p9"],
    };

    private static readonly Dictionary<string, string> Names = new() { ["p7"] = "press-7", ["p8"] = "press-8", ["p9"] = "press-9" };

    [Fact]
    public void Preview_DeviceReachedOtherwise_KeepsItsWorkload()
    {
        // p8 is also targeted by id, p9 through another group: only p7 loses the app.
        var web = new GroupDeletePlanner.Deployed("d1", "web rollout", "web 1.2", ["line3", "presses"], ["p8"], ["p7", "p8", "p9"]);

        var preview = GroupDeletePlanner.Preview("line3", "line-3", [web], Members, Names);

        Assert.Equal(["press-7"], Assert.Single(preview.Deployments).DevicesLosingIt);
        Assert.Equal("'line-3' is targeted by 1 deployment: web rollout. Deleting it removes web 1.2 from press-7.", preview.Summary);
    }

    [Fact]
    public void Preview_DeviceNotHoldingTheWorkload_IsNotListedAsLosingIt()
    {
        // p8 was never released (rolling, waiting) and p9 was superseded: neither runs it through this deployment.
        var web = new GroupDeletePlanner.Deployed("d1", "web rollout", "web 1.2", ["line3"], [], ["p7"]);
        var other = new GroupDeletePlanner.Deployed("d2", "elsewhere", "db 3", ["presses"], [], ["p9"]);

        var preview = GroupDeletePlanner.Preview("line3", "line-3", [web, other], Members, Names);

        Assert.Equal("d1", Assert.Single(preview.Deployments).DeploymentId);
        Assert.Equal(["press-7"], preview.Deployments[0].DevicesLosingIt);
    }

    [Fact]
    public void Preview_NoDeploymentTargetsIt_SaysNothingIsRemoved()
    {
        var preview = GroupDeletePlanner.Preview("line3", "line-3", [], Members, Names);

        Assert.Empty(preview.Deployments);
        Assert.Equal("No deployment targets 'line-3'. Deleting it removes nothing from any device; its devices stay.", preview.Summary);
    }

    [Fact]
    public void Summarize_EveryDeviceReachedOtherwise_SaysNoWorkloadIsRemoved()
    {
        var web = new GroupDeletePlanner.Deployed("d1", "web rollout", "web 1.2", ["line3", "presses"], ["p7", "p8"], ["p7", "p8", "p9"]);

        var preview = GroupDeletePlanner.Preview("line3", "line-3", [web], Members, Names);

        Assert.Empty(preview.Deployments[0].DevicesLosingIt);
        Assert.Contains("removes no workload from any device", preview.Summary, StringComparison.Ordinal);
        Assert.Equal("no device lost its workload", GroupDeletePlanner.Lost(preview.Deployments[0]));
    }
}
