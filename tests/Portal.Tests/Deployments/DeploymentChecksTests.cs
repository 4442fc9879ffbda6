using Portal.Data;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Tests.Deployments;

/// <summary>Every rule of the check before deploying: what refuses a device, in which words, and what is only a note.</summary>
public sealed class DeploymentChecksTests
{
    private static readonly AppVersion Web = new("1", "local/busybox:1", Ports: [new PortMapping(8080, 8080)], NetworkMode: "host");

    [Fact]
    public void Check_CapableOnlineDevice_IsEligibleWithoutNotes()
    {
        var check = DeploymentChecks.Check(App(Web), Device());

        Assert.True(check.Eligible);
        Assert.Empty(check.Notes);
    }

    [Fact]
    public void Check_NoDocker_IsDockerUnreachableWithTheAgentsReason()
    {
        var check = DeploymentChecks.Check(App(Web), Device(Inventory() with { DockerVersion = null, DockerProblem = "there is no Docker socket at /var/run/docker.sock" }));

        var problem = Assert.Single(check.Problems);
        Assert.Equal(DeviceCheckReason.DockerUnreachable, problem.Reason);
        Assert.Equal("edge-1 cannot run containers: there is no Docker socket at /var/run/docker.sock. Install or start Docker there " +
            "(or let the agent reach it), or deploy to other devices.", problem.Message);
    }

    [Fact]
    public void Check_NoDockerWithoutAReason_SaysNoEngineAnswered()
    {
        var check = DeploymentChecks.Check(App(Web), Device(Inventory() with { DockerVersion = null }));

        Assert.Contains("no Docker engine answered its agent", Assert.Single(check.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ModelOnADeviceWithoutDocker_IsEligible()
    {
        var check = DeploymentChecks.Check(Model(), Device(Inventory() with { DockerVersion = null }));

        Assert.True(check.Eligible);
    }

    [Fact]
    public void Check_GpuAppOnADeviceWithoutGpu_IsGpuMissing()
    {
        var check = DeploymentChecks.Check(App(Web with { Limits = new ResourceLimits(Gpu: true) }), Device());

        var problem = Assert.Single(check.Problems);
        Assert.Equal(DeviceCheckReason.GpuMissing, problem.Reason);
        Assert.StartsWith("Web 1 needs a GPU and edge-1 reports none", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_GpuAppOnADeviceWithAGpu_IsEligible()
    {
        var check = DeploymentChecks.Check(App(Web with { Limits = new ResourceLimits(Gpu: true) }), Device(Inventory() with { Gpus = [new GpuInfo("NVIDIA T4", 16L << 30, "550")] }));

        Assert.True(check.Eligible);
    }

    [Fact]
    public void Check_CudaModelWithoutGpu_IsEligibleWithANote()
    {
        var check = DeploymentChecks.Check(Model(provider: "cuda"), Device());

        Assert.True(check.Eligible);
        Assert.Equal(["No GPU reported: the model runs on CPU there."], check.Notes);
    }

    [Fact]
    public void Check_HostPortPublishedByAnotherWorkload_IsPortInUseNamingIt()
    {
        var other = Spec("grafana", "dep-7", new PortMapping(3000, 8080), "bridge");
        var check = DeploymentChecks.Check(App(Web), Device(workloads: [other]));

        var problem = Assert.Single(check.Problems);
        Assert.Equal(DeviceCheckReason.PortInUse, problem.Reason);
        Assert.StartsWith("Host port 8080/tcp is already used on edge-1 by grafana (deployment dep-7)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SamePortOnAnotherProtocolOrByTheSameApp_IsNoClash()
    {
        var udp = Spec("dns", "dep-1", new PortMapping(8080, 8080, "udp"), "bridge");
        var itself = Spec("web", "dep-0", new PortMapping(8080, 8080), "host");

        Assert.True(DeploymentChecks.Check(App(Web), Device(workloads: [udp, itself])).Eligible);
    }

    [Fact]
    public void Check_ImageLargerThanTheFreeDisk_IsDiskSpace()
    {
        var check = DeploymentChecks.Check(App(Web with { ImageSizeBytes = 2_000_000_000 }), Device(Inventory() with { DiskFreeBytes = 500_000_000 }));

        var problem = Assert.Single(check.Problems);
        Assert.Equal(DeviceCheckReason.DiskSpace, problem.Reason);
        Assert.StartsWith("edge-1 has 500 MB of disk free; the image of Web 1 needs 2 GB", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ModelLargerThanTheFreeDisk_IsDiskSpaceUnlessTheFileIsAlreadyThere()
    {
        var full = Inventory() with { DiskFreeBytes = 1_000 };
        Assert.Equal(DeviceCheckReason.DiskSpace, Assert.Single(DeploymentChecks.Check(Model(), Device(full)).Problems).Reason);

        var staged = new ModelWorkloadSpec("detector", "dep-1", "m1", 1, "abc", 50_000, "/x", "cpu", "h");
        Assert.True(DeploymentChecks.Check(Model(), Device(full) with { Models = [staged] }).Eligible);
    }

    [Fact]
    public void Check_ImageAlreadyRunningThere_NeedsNoDisk()
    {
        var running = new WorkloadStatus("web", "dep-0", "h", WorkloadState.Running, null, "local/busybox:1", "c1", null, 0, null, null);
        var check = DeploymentChecks.Check(App(Web with { ImageSizeBytes = 2_000_000_000 }), Device(Inventory() with { DiskFreeBytes = 1 }) with { Reported = [running] });

        Assert.True(check.Eligible);
    }

    [Fact]
    public void Check_ImageBuiltForAnotherArchitecture_IsArchitectureNamingBoth()
    {
        var check = DeploymentChecks.Check(App(Web with { Architectures = ["linux/amd64"] }), Device(Inventory() with { Architecture = "Arm64" }));

        var problem = Assert.Single(check.Problems);
        Assert.Equal(DeviceCheckReason.Architecture, problem.Reason);
        Assert.StartsWith("Web 1 is built for amd64 only and edge-1 is arm64", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X64", "amd64")]
    [InlineData("linux/amd64", "amd64")]
    [InlineData("aarch64", "arm64")]
    [InlineData("Arm", "arm")]
    [InlineData("arm/v7", "arm")]
    [InlineData("riscv64", "riscv64")]
    public void Architecture_DotNetAndDockerNames_AreDockersName(string name, string expected) =>
        Assert.Equal(expected, DeploymentChecks.Architecture(name));

    [Fact]
    public void Check_MatchingArchitectureOrNoneDeclared_IsEligible()
    {
        Assert.True(DeploymentChecks.Check(App(Web with { Architectures = ["amd64", "arm64"] }), Device(Inventory() with { Architecture = "Arm64" })).Eligible);
        Assert.True(DeploymentChecks.Check(App(Web), Device(Inventory() with { Architecture = "Arm64" })).Eligible);
    }

    [Fact]
    public void Check_ModelOnAnAgentBefore020_IsAgentTooOld()
    {
        var check = DeploymentChecks.Check(Model(), Device(Inventory() with { AgentVersion = "0.1.0" }));

        var problem = Assert.Single(check.Problems);
        Assert.Equal(DeviceCheckReason.AgentTooOld, problem.Reason);
        Assert.Equal("The agent on edge-1 is version 0.1.0; Models need 0.2.0 or newer: update the agent on the device.", problem.Message);
    }

    [Fact]
    public void Check_ContainerOnAnAgent010_IsEligible()
    {
        Assert.True(DeploymentChecks.Check(App(Web), Device(Inventory() with { AgentVersion = "0.1.0" })).Eligible);
    }

    [Fact]
    public void Check_UnreadableAgentVersion_IsANoteNotARefusal()
    {
        var check = DeploymentChecks.Check(Model(), Device(Inventory() with { AgentVersion = "dev" }));

        Assert.True(check.Eligible);
        Assert.Contains("could not be compared", Assert.Single(check.Notes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.2.0", "0.2.0")]
    [InlineData("0.2.1-beta+abc", "0.2.1")]
    [InlineData("1.0", "1.0.0")]
    public void AgentVersion_SemanticVersions_AreReadWithoutSuffixes(string text, string expected) =>
        Assert.Equal(Version.Parse(expected), DeploymentChecks.AgentVersion(text));

    [Fact]
    public void Check_OfflineOrWithoutInventory_IsEligibleWithNotes()
    {
        var offline = DeploymentChecks.Check(App(Web), Device() with { Online = false });
        var unknown = DeploymentChecks.Check(App(Web), Device() with { Inventory = null });

        Assert.True(offline.Eligible);
        Assert.Equal(["Offline: it receives the deployment when it reconnects."], offline.Notes);
        Assert.True(unknown.Eligible);
        Assert.Equal(["It has not reported its inventory yet, so it could not be checked."], unknown.Notes);
    }

    [Fact]
    public void Check_SeveralProblems_AreAllListed()
    {
        var check = DeploymentChecks.Check(App(Web with { Limits = new ResourceLimits(Gpu: true) }), Device(Inventory() with { DockerVersion = null }));

        Assert.Equal([DeviceCheckReason.DockerUnreachable, DeviceCheckReason.GpuMissing], check.Problems.Select(p => p.Reason));
    }

    [Fact]
    public void Summarize_SomeRefused_SaysHowManyReceiveItAndTheConflictNamesThem()
    {
        var ok = DeploymentChecks.Check(App(Web), Device() with { Id = "a", Name = "edge-a" });
        var refused = DeploymentChecks.Check(App(Web), Device(Inventory() with { DockerVersion = null }) with { Id = "b", Name = "edge-b" });

        var summary = DeploymentChecks.Summarize([ok, refused]);

        Assert.Equal((2, 1), (summary.Targeted, summary.Receiving));
        Assert.Equal("1 device will receive this; 1 cannot.", summary.Summary);
        var conflict = DeploymentChecks.Conflict(summary);
        Assert.StartsWith("1 target device cannot run this: edge-b cannot run containers", conflict, StringComparison.Ordinal);
        Assert.EndsWith("Deploy to the other 1 device with skipIneligible: true, fix those devices, or change the targets.", conflict, StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_NoneOrAll_SayIt()
    {
        var refused = DeploymentChecks.Check(App(Web), Device(Inventory() with { DockerVersion = null }));

        Assert.Equal("No device will receive this; 1 cannot.", DeploymentChecks.Summarize([refused]).Summary);
        Assert.EndsWith("None of the targets can run it: fix those devices or choose other targets.", DeploymentChecks.Conflict(DeploymentChecks.Summarize([refused])), StringComparison.Ordinal);
        Assert.Equal("2 devices will receive this.", DeploymentChecks.Summarize([DeploymentChecks.Check(App(Web), Device()), DeploymentChecks.Check(App(Web), Device())]).Summary);
        Assert.StartsWith("The targets have no devices yet", DeploymentChecks.Summarize([]).Summary, StringComparison.Ordinal);
    }

    private static CheckedWorkload App(AppVersion version) => CheckedWorkload.For("web", "Web", version);

    [Fact]
    public void Check_FlowWhoseModelIsNotDeployedThere_IsEligibleWithANote_AndWithTheModelWithout()
    {
        var flow = new Deployment
        {
            Name = "solar-forecast v1", SourceId = "f1", SourceName = "solar-forecast", Version = "1",
            Flow = new DataFlowDeploymentSpec("f1", "solar-forecast", 1, new Portal.Shared.DataFlows.DataFlowSpec("solar-forecast", [], [], Model: new Portal.Shared.DataFlows.FlowModelStep("solar-irradiance", [], []))),
        };
        var served = new ModelWorkloadSpec("solar-irradiance", "d-model", "m1", 1, "abc", 1, "", "cpu", "h");
        var device = Device(Inventory() with { AgentVersion = "0.4.0", DockerVersion = null });

        var without = DeploymentChecks.Check(CheckedWorkload.For(flow), device);
        var with = DeploymentChecks.Check(CheckedWorkload.For(flow), device with { Models = [served] });

        Assert.True(without.Eligible);
        Assert.Contains(without.Notes, n => n.StartsWith("edge-1 is not given the model solar-irradiance", StringComparison.Ordinal));
        Assert.True(with.Eligible);
        Assert.Empty(with.Notes);
    }

    [Fact]
    public void Check_FlowOnAnOldOrUnreadableAgent_IsAgentTooOld()
    {
        var flow = CheckedWorkload.For(new Deployment
        {
            Name = "f v1", SourceId = "f1", SourceName = "f", Version = "1",
            Flow = new DataFlowDeploymentSpec("f1", "f", 1, new Portal.Shared.DataFlows.DataFlowSpec("f", [], [])),
        });

        Assert.Equal(DeviceCheckReason.AgentTooOld, Assert.Single(DeploymentChecks.Check(flow, Device(Inventory() with { AgentVersion = "0.3.2" })).Problems).Reason);
        Assert.Equal(DeviceCheckReason.AgentTooOld, Assert.Single(DeploymentChecks.Check(flow, Device(Inventory() with { AgentVersion = "dev" })).Problems).Reason);
    }

    [Fact]
    public void Check_AgentRelease_NeedsAnUpdatableAgentFrom050_ABuildForItsArchitecture_AndRoom()
    {
        var release = CheckedWorkload.For(new Deployment
        {
            Name = "Agent 0.5.2", SourceId = "r1", SourceName = "Portal agent", Version = "0.5.2",
            AgentRelease = new AgentReleaseDeploymentSpec("r1", "0.5.2", [new AgentReleaseFileRecord("linux-x64", "abc", 70_000_000, "sig")]),
        });
        var ready = Inventory() with { AgentVersion = "0.5.1", DockerVersion = null };

        Assert.True(DeploymentChecks.Check(release, Device(ready)).Eligible);
        Assert.Equal(DeviceCheckReason.AgentTooOld, Assert.Single(DeploymentChecks.Check(release, Device(ready with { AgentVersion = "0.4.0" })).Problems).Reason);
        Assert.Equal(DeviceCheckReason.AgentTooOld, Assert.Single(DeploymentChecks.Check(release, Device(ready with { AgentVersion = "dev" })).Problems).Reason);
        var launcherless = Assert.Single(DeploymentChecks.Check(release, Device(ready with { UpdateProblem = "This agent was not started by portal-agent-launch." })).Problems);
        Assert.Equal(DeviceCheckReason.AgentNotUpdatable, launcherless.Reason);
        Assert.Contains("portal-agent-launch", launcherless.Message, StringComparison.Ordinal);
        Assert.Equal(DeviceCheckReason.Architecture, Assert.Single(DeploymentChecks.Check(release, Device(ready with { Architecture = "Arm64" })).Problems).Reason);
        Assert.Equal(DeviceCheckReason.DiskSpace, Assert.Single(DeploymentChecks.Check(release, Device(ready with { DiskFreeBytes = 10_000_000 })).Problems).Reason);
        // Already on that version: nothing to download, nothing to fit.
        Assert.True(DeploymentChecks.Check(release, Device(ready with { AgentVersion = "0.5.2", DiskFreeBytes = 1 })).Eligible);
    }

    private static CheckedWorkload Model(string provider = "cpu") =>
        CheckedWorkload.For(new ModelDeploymentSpec("m1", "detector", 1, "abc", 50_000, false, provider));

    private static DeviceInventory Inventory() => new(
        "edge-1", "Linux", "6.1", "X64", "cpu", 4, 8L << 30, 64_000_000_000, 32_000_000_000, "0.2.0", "20.10.24", null, [], []);

    private static CheckedDevice Device(DeviceInventory? inventory = null, IReadOnlyList<WorkloadSpec>? workloads = null) =>
        new("d1", "edge-1", true, inventory ?? Inventory(), workloads ?? [], [], []);

    private static WorkloadSpec Spec(string name, string deploymentId, PortMapping port, string networkMode) =>
        new(name, deploymentId, "img", [], new Dictionary<string, string>(), [port], [], "unless-stopped", networkMode, new ResourceLimits(), "h");
}
