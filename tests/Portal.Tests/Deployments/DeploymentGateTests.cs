using Portal.Data;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;

namespace Portal.Tests.Deployments;

/// <summary>Which devices a rollout step reads before releasing: only those it may release.</summary>
public sealed class DeploymentGateTests
{
    [Fact]
    public void Candidates_WaitingTargetsAndNewMembers_AreReadAndReleasedOrRevokedOnesAreNot()
    {
        var deployment = new Deployment
        {
            Name = "web", SourceId = "web", SourceName = "Web", Version = "1", Spec = new AppVersion("1", "local/busybox:1"),
            DeviceIds = ["released", "waiting", "revoked"], GroupIds = ["line"],
            Targets =
            [
                new DeploymentTarget { DeploymentId = "d", DeviceId = "released", State = DeviceRolloutState.Running, ReleasedAt = DateTimeOffset.UtcNow },
                new DeploymentTarget { DeploymentId = "d", DeviceId = "waiting", State = DeviceRolloutState.Waiting },
                new DeploymentTarget { DeploymentId = "d", DeviceId = "skipped", State = DeviceRolloutState.Skipped },
            ],
        };

        var candidates = DeploymentGate.Candidates([deployment], new Dictionary<string, List<string>> { ["line"] = ["skipped", "joined"] },
            new HashSet<string>(["released", "waiting", "skipped", "joined"]));

        Assert.Equal(["joined", "waiting"], candidates.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CheckedWorkload_RowWithNeitherAppNorModel_AsksNothingInsteadOfThrowing()
    {
        // A damaged or hand-written row once threw here, inside the rollout loop, and stopped every deployment's rollout.
        var deployment = new Deployment { Name = "seeded", SourceId = "camera", SourceName = "Camera", Version = "2.1" };

        var workload = CheckedWorkload.For(deployment);

        Assert.Equal("camera", workload.Name);
        Assert.Empty(workload.Ports);
        Assert.Null(workload.References);
        Assert.False(workload.NeedsGpu);
    }
}
