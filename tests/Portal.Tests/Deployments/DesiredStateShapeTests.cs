using Portal.Features.Deployments;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Tests.Deployments;

public sealed class DesiredStateShapeTests
{
    private static readonly DesiredState State = DesiredState.Of(
        3,
        [WorkloadSpecBuilder.Build("web", "d1", new AppVersion("1", "img:1"), new Dictionary<string, string>())],
        [WorkloadSpecBuilder.Build("d2", new Portal.Data.ModelDeploymentSpec("m", "resnet", 2, "aa", 10, false, "cpu"))]);

    [Theory]
    [InlineData("0.2.0")]
    [InlineData("0.1.0")]
    [InlineData("dev")]
    [InlineData(null)]
    public void For_AgentBefore030OrUnknown_AlsoGetsTheOldLists(string? version)
    {
        var sent = DesiredStateShape.For(State, version);

        Assert.Equal(["web"], sent.Workloads!.Select(w => w.Name));
        Assert.Equal(["resnet"], sent.Models!.Select(m => m.Name));
        Assert.Equal(2, sent.Items!.Count);
    }

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1-beta+abc")]
    [InlineData("1.0.0")]
    public void For_Agent030OrNewer_GetsOnlyTheOneList(string version)
    {
        var sent = DesiredStateShape.For(State, version);

        Assert.Null(sent.Workloads);
        Assert.Null(sent.Models);
        Assert.Equal([WorkloadKind.Container, WorkloadKind.Model], sent.Items!.Select(w => w.Kind));
    }

    [Theory]
    [InlineData("0.4.0", false)]
    [InlineData("dev", false)]
    [InlineData("0.5.0", true)]
    public void For_AgentRelease_OnlyToAgentsThatUpdateThemselves(string version, bool sent)
    {
        var release = WorkloadSpecBuilder.Build("d3", new Portal.Data.AgentReleaseDeploymentSpec("r1", "0.5.2", [new Portal.Data.AgentReleaseFileRecord("linux-x64", "abc", 10, "sig")]));
        var state = State with { Items = [.. State.All(), DesiredWorkload.Of(release)] };

        Assert.Equal(sent, DesiredStateShape.For(state, version).All().Any(w => w.Kind == WorkloadKind.AgentRelease));
        Assert.Equal("/api/v1/agent/artifacts/abc", release.Files[0].DownloadPath);
    }
}
