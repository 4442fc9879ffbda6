using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using static Portal.Features.Deployments.Supersession;

namespace Portal.Tests.Deployments;

public sealed class SupersessionTests
{
    private static readonly DateTimeOffset Monday = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Find_NewerDeploymentReleasedOnADevice_SupersedesTheOlderThereOnly()
    {
        var found = Find(
        [
            new("v1", "m v1", "model:m", Monday, "dev-a", DeviceRolloutState.Running, true),
            new("v1", "m v1", "model:m", Monday, "dev-b", DeviceRolloutState.Running, true),
            new("v2", "m v2", "model:m", Monday.AddHours(1), "dev-a", DeviceRolloutState.Pending, true),
        ]);

        var owner = Assert.Single(found).Value;
        Assert.Equal(("v1", "dev-a"), Assert.Single(found).Key);
        Assert.Equal("Superseded by deployment v2 (m v2)", Reason(owner));
    }

    [Fact]
    public void Find_NewerDeploymentNotReleasedYet_SupersedesNothing()
    {
        var found = Find(
        [
            new("v1", "m v1", "model:m", Monday, "dev-a", DeviceRolloutState.Running, true),
            new("v2", "m v2", "model:m", Monday.AddHours(1), "dev-a", DeviceRolloutState.Waiting, false),
        ]);

        Assert.Empty(found);
    }

    [Fact]
    public void Find_OlderTargetStillWaiting_IsSupersededToo()
    {
        var found = Find(
        [
            new("v1", "m v1", "model:m", Monday, "dev-a", DeviceRolloutState.Waiting, false),
            new("v2", "m v2", "model:m", Monday.AddHours(1), "dev-a", DeviceRolloutState.Running, true),
        ]);

        Assert.Equal(("v1", "dev-a"), Assert.Single(found).Key);
    }

    [Fact]
    public void Find_NewerRolledBackOnTheDevice_HandsTheDeviceBack()
    {
        var found = Find(
        [
            new("v1", "m v1", "model:m", Monday, "dev-a", DeviceRolloutState.Superseded, true),
            new("v2", "m v2", "model:m", Monday.AddHours(1), "dev-a", DeviceRolloutState.RolledBack, true),
        ]);

        Assert.Empty(found);
    }

    [Fact]
    public void Find_DifferentWorkloadsOnOneDevice_LeaveEachOtherAlone()
    {
        var found = Find(
        [
            new("web", "web 1", "app:web", Monday, "dev-a", DeviceRolloutState.Running, true),
            new("m", "m v1", "model:m", Monday.AddHours(1), "dev-a", DeviceRolloutState.Running, true),
        ]);

        Assert.Empty(found);
    }

    [Fact]
    public void Find_ThreeGenerations_BothOlderAreSupersededByTheNewest()
    {
        var found = Find(
        [
            new("v1", "a 1", "app:a", Monday, "dev-a", DeviceRolloutState.Superseded, true),
            new("v2", "a 2", "app:a", Monday.AddHours(1), "dev-a", DeviceRolloutState.Running, true),
            new("v3", "a 3", "app:a", Monday.AddHours(2), "dev-a", DeviceRolloutState.Pending, true),
        ]);

        Assert.Equal(["v1", "v2"], found.Keys.Select(k => k.DeploymentId).Order(StringComparer.Ordinal));
        Assert.All(found.Values, owner => Assert.Equal("v3", owner.DeploymentId));
    }
}
