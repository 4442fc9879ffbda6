using Portal.Features.Deployments;
using Portal.Features.FleetConfig;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Tests.Deployments;

/// <summary>The check before deploying judges a stack by every service: ports, GPU, references, devices, Docker.</summary>
public sealed class StackChecksTests
{
    private const string Compose = """
        services:
          web:
            image: local/busybox:1
            command: httpd -f -p ${PORT}
            ports: ["${PORT}:80"]
            environment:
              SITE: ${config:SITE}
          infer:
            image: local/infer:1
            network_mode: host
            ports: ["9000:9000"]
            entrypoint: ["sh", "-c", "cat /run/secrets/API_KEY"]
            devices: ["/dev/video0:/dev/video0"]
            deploy:
              resources:
                reservations:
                  devices: [{ capabilities: [gpu] }]
        """;

    private static CheckedWorkload Stack(string compose = Compose, string port = "8080") => CheckedWorkload.ForStack(
        "cam", "Camera", new AppVersion("1", "", Parameters: [new AppParameter("PORT", "int", "8080")], Compose: compose),
        new Dictionary<string, string> { ["PORT"] = port });

    [Fact]
    public void ForStack_CollectsEveryServicesPortsGpuReferencesAndDevices()
    {
        var stack = Stack();

        Assert.Equal(WorkloadKind.Stack, stack.Kind);
        Assert.True(stack.NeedsGpu);
        Assert.Equal([(8080, 80), (9000, 9000)], stack.Ports.Select(p => (p.HostPort, p.ContainerPort)));
        Assert.Equal(["${config:SITE}", "${secret:API_KEY}"], stack.References!.Select(r => r.ToString()));
        Assert.Equal(["/dev/video0"], stack.HostDevices);
        Assert.Equal("local/busybox:1 local/infer:1", stack.Artifact);
    }

    [Fact]
    public void Check_StackOnADeviceWithoutGpuOrDockerOrConfig_NamesEachProblem()
    {
        var device = Device(Inventory() with { DockerVersion = null }) with { Config = DeviceConfig.Empty };

        var check = DeploymentChecks.Check(Stack(), device);

        Assert.Equal([DeviceCheckReason.ConfigMissing, DeviceCheckReason.DockerUnreachable, DeviceCheckReason.GpuMissing], check.Problems.Select(p => p.Reason));
        Assert.Contains("edge-1 lacks ${config:SITE}, ${secret:API_KEY}", check.Why, StringComparison.Ordinal);
        Assert.Contains(check.Notes, n => n.Contains("/dev/video0", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_StackPortTakenByAnotherWorkload_IsPortInUse()
    {
        var other = new WorkloadSpec("other", "d9", "img", [], new Dictionary<string, string>(), [new PortMapping(9000, 9000)], [], "unless-stopped", "host", new ResourceLimits(), "h");

        var check = DeploymentChecks.Check(Stack(), Device(gpu: true) with { Workloads = [other] });

        var problem = Assert.Single(check.Problems);
        Assert.Equal(DeviceCheckReason.PortInUse, problem.Reason);
        Assert.StartsWith("Host port 9000/tcp is already used on edge-1 by other", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TwoServicesOfTheStackOnOnePort_IsPortInUse()
    {
        var check = DeploymentChecks.Check(Stack(port: "9000"), Device(gpu: true));

        var problem = Assert.Single(check.Problems);
        Assert.Equal(DeviceCheckReason.PortInUse, problem.Reason);
        Assert.StartsWith("Host port 9000/tcp is taken by 2 services of Camera 1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_StackItsOwnEarlierDeploymentRuns_IsEligible()
    {
        var earlier = new WorkloadSpec("cam", "d0", "local/infer:1", [], new Dictionary<string, string>(), [new PortMapping(9000, 9000)], [], "unless-stopped", "host", new ResourceLimits(), "h");

        Assert.True(DeploymentChecks.Check(Stack(), Device(gpu: true) with { Workloads = [earlier] }).Eligible);
    }

    private static DeviceInventory Inventory(bool gpu = false) => new(
        "edge-1", "Linux", "6.1", "X64", "cpu", 4, 8L << 30, 64_000_000_000, 32_000_000_000, "0.3.0", "20.10.24", null, [],
        gpu ? [new GpuInfo("NVIDIA T4", 16L << 30, "535")] : []);

    private static CheckedDevice Device(DeviceInventory? inventory = null, bool gpu = false) =>
        new("d1", "edge-1", true, inventory ?? Inventory(gpu), [], [], []);
}
