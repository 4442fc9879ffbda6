using Portal.Features.Deployments;
using Portal.Features.FleetConfig;
using Portal.Shared.Workloads;

namespace Portal.Tests.Deployments;

public sealed class WorkloadConfigResolverTests
{
    private static readonly WorkloadSpec Spec = new("web", "d1", "local/busybox:1",
        ["sh", "-c", "echo ${config:SITE} ${secret:TOKEN}"], new Dictionary<string, string> { ["COLOR"] = "${config:COLOR}", ["FIXED"] = "1" },
        [], [], "unless-stopped", "host", new ResourceLimits(), "basehash");

    private static DeviceConfig Config(string color, string token = "t0ken") =>
        new(new Dictionary<string, string> { ["SITE"] = "madrid", ["COLOR"] = color }, new Dictionary<string, string> { ["TOKEN"] = token });

    [Fact]
    public void Resolve_ReplacesConfigInPlainAndSecretsProtected()
    {
        var resolved = WorkloadConfigResolver.Resolve(Spec, Config("red"), v => $"<enc {v.Length}>");

        Assert.Equal("echo madrid <enc 5>", resolved.Command[2]);
        Assert.Equal("red", resolved.Environment["COLOR"]);
        Assert.NotEqual("basehash", resolved.SpecHash);
    }

    [Fact]
    public void Resolve_HashFollowsTheValuesUsed_NotTheProtectedForm()
    {
        var counter = 0;
        string Protect(string v) => $"<enc {counter++}>";

        Assert.Equal(WorkloadConfigResolver.Resolve(Spec, Config("red"), Protect).SpecHash, WorkloadConfigResolver.Resolve(Spec, Config("red"), Protect).SpecHash);
        Assert.NotEqual(WorkloadConfigResolver.Resolve(Spec, Config("red"), Protect).SpecHash, WorkloadConfigResolver.Resolve(Spec, Config("green"), Protect).SpecHash);
        Assert.NotEqual(WorkloadConfigResolver.Resolve(Spec, Config("red"), Protect).SpecHash, WorkloadConfigResolver.Resolve(Spec, Config("red", "other"), Protect).SpecHash);
    }

    [Fact]
    public void Resolve_SpecWithoutReferences_IsTheSameSpec()
    {
        var plain = Spec with { Command = ["httpd"], Environment = new Dictionary<string, string>() };

        Assert.Same(plain, WorkloadConfigResolver.Resolve(plain, Config("red"), v => v));
    }

    [Fact]
    public void LiveConfigFile_TextChange_KeepsTheSpecHash_ButChangesConfigVersionAndTheDesiredState()
    {
        var live = new WorkloadSpec("live", "d1", "local/busybox:1", ["httpd"], new Dictionary<string, string> { ["SITE_FILE"] = "/appconfig/site.conf" },
            [], [], "unless-stopped", "host", new ResourceLimits(), "basehash", LiveConfig: true);
        static DeviceConfig Files(string text) => new(new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string> { ["site.conf"] = text });

        var v1 = WorkloadConfigResolver.Resolve(live, Files("site=v1"), v => v);
        var v2 = WorkloadConfigResolver.Resolve(live, Files("site=v2"), v => v);
        var plain1 = WorkloadConfigResolver.Resolve(live with { LiveConfig = false }, Files("site=v1"), v => v);
        var plain2 = WorkloadConfigResolver.Resolve(live with { LiveConfig = false }, Files("site=v2"), v => v);

        Assert.Equal(v1.SpecHash, v2.SpecHash);
        Assert.NotEqual(v1.ConfigVersion, v2.ConfigVersion);
        Assert.Equal("site=v2", v2.ConfigFiles!["site.conf"]);
        Assert.NotEqual(plain1.SpecHash, plain2.SpecHash);
        Assert.Null(plain1.ConfigVersion);
        Assert.False(DesiredStateBuilder.SameAs([DesiredWorkload.Of(v1)], [DesiredWorkload.Of(v2)]));
        Assert.True(DesiredStateBuilder.SameAs([DesiredWorkload.Of(v1)], [DesiredWorkload.Of(v1 with { })]));
    }
}
