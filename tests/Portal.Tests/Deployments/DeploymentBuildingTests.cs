using Portal.Features.Deployments;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Tests.Deployments;

public sealed class DeploymentBuildingTests
{
    private static readonly AppParameter[] Schema =
    [
        new("PORT", "int", Required: true),
        new("TOKEN", "string", Required: true, Secret: true),
        new("DEBUG", "bool", "false"),
    ];

    [Fact]
    public void Bind_ValidValues_FillsDefaults()
    {
        var (values, problem) = ParameterBinder.Bind(Schema, new Dictionary<string, string> { ["PORT"] = "8080", ["TOKEN"] = "s3cret" });

        Assert.Null(problem);
        Assert.Equal("false", values["DEBUG"]);
    }

    [Theory]
    [InlineData("PORT", "eighty", "The parameter 'PORT' must be a whole number, not 'eighty'.")]
    [InlineData("TOKEN", "", "The parameter 'TOKEN' is required.")]
    [InlineData("NOPE", "1", "This version has no parameter 'NOPE'. It takes: PORT, TOKEN, DEBUG.")]
    public void Bind_BadValue_SaysWhatIsWrong(string name, string value, string expected)
    {
        var given = new Dictionary<string, string> { ["PORT"] = "80", ["TOKEN"] = "x", [name] = value };

        Assert.Equal(expected, ParameterBinder.Bind(Schema, given).Problem);
    }

    [Fact]
    public void Bind_TypedParameter_TakesAWholeConfigReference_ButNotOneInsideOtherText()
    {
        Assert.Null(ParameterBinder.Bind(Schema, new Dictionary<string, string> { ["PORT"] = "${config:PORT}", ["TOKEN"] = "x" }).Problem);
        Assert.Equal("The parameter 'PORT' must be a whole number, not '80${config:X}'.",
            ParameterBinder.Bind(Schema, new Dictionary<string, string> { ["PORT"] = "80${config:X}", ["TOKEN"] = "x" }).Problem);
        var typed = Assert.Single(ParameterBinder.TypedReferences(Schema, new Dictionary<string, string> { ["PORT"] = "${config:PORT}", ["TOKEN"] = "${secret:T}" }));
        Assert.Equal(("PORT", "int", "${config:PORT}"), (typed.Parameter, typed.Type, typed.Reference.ToString()));
    }

    [Fact]
    public void Masked_SecretParameter_NeverShowsTheValue()
    {
        var masked = ParameterBinder.Masked(Schema, new Dictionary<string, string> { ["PORT"] = "80", ["TOKEN"] = "s3cret" });

        Assert.Equal("80", masked["PORT"]);
        Assert.Equal(ParameterBinder.Mask, masked["TOKEN"]);
    }

    [Fact]
    public void Build_SubstitutesParametersAndHashesTheSpecWithoutTheDeployment()
    {
        var version = new AppVersion("1", "local/busybox:1", ["httpd", "-p", "127.0.0.1:${PORT}"], new Dictionary<string, string> { ["URL"] = "http://x:${PORT}" });
        var values = new Dictionary<string, string> { ["PORT"] = "8080" };

        var a = WorkloadSpecBuilder.Build("web", "dep-a", version, values);
        var b = WorkloadSpecBuilder.Build("web", "dep-b", version, values);
        var c = WorkloadSpecBuilder.Build("web", "dep-a", version, new Dictionary<string, string> { ["PORT"] = "9090" });

        Assert.Equal(["httpd", "-p", "127.0.0.1:8080"], a.Command);
        Assert.Equal("http://x:8080", a.Environment["URL"]);
        Assert.Equal("8080", a.Environment["PORT"]);
        Assert.Equal(a.SpecHash, b.SpecHash);
        Assert.NotEqual(a.SpecHash, c.SpecHash);
    }

    [Fact]
    public void Workloads_SameAppFromTwoDeployments_TheNewerWins()
    {
        var older = WorkloadSpecBuilder.Build("web", "old", new AppVersion("1", "img:1"), new Dictionary<string, string>());
        var newer = WorkloadSpecBuilder.Build("web", "new", new AppVersion("2", "img:2"), new Dictionary<string, string>());
        var other = WorkloadSpecBuilder.Build("mqtt", "m", new AppVersion("1", "mqtt:1"), new Dictionary<string, string>());
        var now = DateTimeOffset.UtcNow;

        var workloads = DesiredStateBuilder.Workloads([new(DesiredWorkload.Of(older), now.AddHours(-1)), new(DesiredWorkload.Of(newer), now), new(DesiredWorkload.Of(other), now)]);

        Assert.Equal(["mqtt", "web"], workloads.Select(w => w.Name));
        Assert.Equal("img:2", workloads[1].Container!.Image);
    }

    [Fact]
    public void Workloads_AppAndModelOfTheSameName_BothRunInOneList_ContainersFirst()
    {
        var now = DateTimeOffset.UtcNow;
        var app = DesiredWorkload.Of(WorkloadSpecBuilder.Build("resnet", "a", new AppVersion("1", "img:1"), new Dictionary<string, string>()));
        var model = DesiredWorkload.Of(WorkloadSpecBuilder.Build("m", new Portal.Data.ModelDeploymentSpec("id", "resnet", 3, "aa", 10, false, "cpu")));
        var web = DesiredWorkload.Of(WorkloadSpecBuilder.Build("web", "w", new AppVersion("1", "img:1"), new Dictionary<string, string>()));

        var workloads = DesiredStateBuilder.Workloads([new(model, now), new(web, now), new(app, now)]);
        var state = new DesiredState(1, workloads);

        Assert.Equal([(WorkloadKind.Container, "resnet"), (WorkloadKind.Container, "web"), (WorkloadKind.Model, "resnet")], workloads.Select(w => (w.Kind, w.Name)));
        Assert.Equal(["resnet", "web"], state.Containers().Select(c => c.Name));
        Assert.Equal(3, Assert.Single(state.ModelSpecs()).Version);
        Assert.True(DesiredStateBuilder.SameAs(workloads, DesiredStateBuilder.Workloads([new(app, now), new(web, now), new(model, now)])));
        Assert.False(DesiredStateBuilder.SameAs(workloads, DesiredStateBuilder.Workloads([new(app, now), new(web, now)])));
    }

    [Fact]
    public void Build_DeploymentRowWithoutAnySpec_IsNothingToRunNotAnError()
    {
        // A damaged or hand-written row must not stop every other deployment's desired state from being computed.
        var row = new Portal.Data.Deployment { Name = "broken", SourceId = "x", SourceName = "x", Version = "1" };

        Assert.Null(WorkloadSpecBuilder.Build(row));
        Assert.Null(WorkloadSpecBuilder.Build(row, new Portal.Data.DeploymentSnapshot(1, "broken", "1", null, null, new Dictionary<string, string>(), [], [], new())));
    }
}
