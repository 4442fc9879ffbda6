using Portal.Shared.Workloads;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Shared.Routes;

namespace Portal.Tests.Deployments;

/// <summary>How a model deployment becomes a device's model workload (pure).</summary>
public sealed class ModelWorkloadTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private static ModelDeploymentSpec Spec(int version = 1, string sha = "aa", string provider = "cpu") =>
        new("m1", "vibration-anomaly", version, sha.PadRight(64, '0'), 2733, Original: false, provider);

    [Fact]
    public void Build_ModelDeployment_ServesUnderTheModelsNameAndFetchesByHash()
    {
        var workload = WorkloadSpecBuilder.Build("dep-1", Spec());

        Assert.Equal(("vibration-anomaly", "dep-1", 1, 2733L), (workload.Name, workload.DeploymentId, workload.Version, workload.SizeBytes));
        Assert.Equal(ApiRoutes.AgentArtifact("aa".PadRight(64, '0')), workload.DownloadPath);
        Assert.Equal(16, workload.SpecHash.Length);
    }

    [Fact]
    public void SpecHash_ChangesWithTheFileOrTheProvider_NotWithTheDeployment()
    {
        var a = WorkloadSpecBuilder.Build("dep-1", Spec());

        Assert.Equal(a.SpecHash, WorkloadSpecBuilder.Build("dep-2", Spec()).SpecHash);
        Assert.NotEqual(a.SpecHash, WorkloadSpecBuilder.Build("dep-1", Spec(sha: "bb")).SpecHash);
        Assert.NotEqual(a.SpecHash, WorkloadSpecBuilder.Build("dep-1", Spec(provider: "cuda")).SpecHash);
    }

    [Fact]
    public void Models_TwoDeploymentsOfOneModel_TheNewerWins_SoRollingBackHandsTheOlderBack()
    {
        var v1 = new DesiredStateBuilder.Released(DesiredWorkload.Of(WorkloadSpecBuilder.Build("dep-1", Spec(1, "aa"))), Monday);
        var v2 = new DesiredStateBuilder.Released(DesiredWorkload.Of(WorkloadSpecBuilder.Build("dep-2", Spec(2, "bb"))), Monday.AddHours(1));
        var other = new DesiredStateBuilder.Released(DesiredWorkload.Of(WorkloadSpecBuilder.Build("dep-3", Spec() with { ModelName = "solar-irradiance" })), Monday);

        var both = DesiredStateBuilder.Workloads([v1, v2, other]);
        Assert.Equal(["solar-irradiance", "vibration-anomaly"], both.Select(m => m.Name));
        Assert.Equal(2, both[1].Model!.Version);
        Assert.Equal(1, Assert.Single(DesiredStateBuilder.Workloads([v1]), m => m.Name == "vibration-anomaly").Model!.Version);
        Assert.True(DesiredStateBuilder.SameAs(both, DesiredStateBuilder.Workloads([other, v2, v1])));
        Assert.False(DesiredStateBuilder.SameAs(both, DesiredStateBuilder.Workloads([v1, other])));
    }
}
