using Portal.Features.Deployments;
using Portal.Hubs;
using Portal.Shared.Devices;
using Portal.Shared.Workloads;

namespace Portal.Tests.Hubs;

/// <summary>
/// Text an agent sends (a hostile or broken one too): NUL breaks PostgreSQL, control and direction characters forge
/// what pages and logs show. Inventory and workload names with them are refused; an engine's failure reason is kept
/// with those characters replaced.
/// </summary>
public sealed class AgentTextTests
{
    private static DeviceInventory Inventory(string hostName = "press-7", string? dockerProblem = null) =>
        new(hostName, "Debian", "13", "x64", "Xeon", 4, 8L << 30, 100L << 30, 50L << 30, "0.2.0", "27.0", "1.22", ["CPUExecutionProvider"], [], dockerProblem);

    private static WorkloadStatus Workload(string name = "camera", string? reason = null) =>
        new(name, "dep-1", "hash", WorkloadState.Failed, reason, "local/busybox:1", null, null, 0, null, null);

    [Theory]
    [InlineData("press\u00007")]
    [InlineData("press-7\nINFO forged log line")]
    [InlineData("press-\u202Egnp.exe")]
    public void Inventory_HostNameWithControlCharacters_IsRefused(string hostName)
    {
        Assert.Equal("An inventory text contains a control or invisible character.", InventoryRules.Problem(Inventory(hostName)));
    }

    [Fact]
    public void Inventory_DockerProblemOverSeveralLines_IsAccepted()
    {
        Assert.Null(InventoryRules.Problem(Inventory(dockerProblem: "permission denied\nwhile trying to connect to the Docker daemon socket")));
        Assert.NotNull(InventoryRules.Problem(Inventory(dockerProblem: "bad\u0000byte")));
    }

    [Fact]
    public void WorkloadReport_NameWithNul_IsRefused_WithoutEchoingTheNul()
    {
        var problem = WorkloadReports.Problem(new WorkloadReport(1, [Workload("cam\u0000era")], DateTimeOffset.UtcNow));

        Assert.NotNull(problem);
        Assert.DoesNotContain('\0', problem);
    }

    [Fact]
    public void WorkloadReport_ReasonWithNul_IsAccepted()
    {
        Assert.Null(WorkloadReports.Problem(new WorkloadReport(1, [Workload(reason: "exit 3\u0000\nstack")], DateTimeOffset.UtcNow)));
    }
}
