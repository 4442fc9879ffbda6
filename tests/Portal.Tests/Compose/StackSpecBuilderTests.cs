using Portal.Features.Compose;
using Portal.Features.Marketplace;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Tests.Compose;

public sealed class StackSpecBuilderTests
{
    private const string Compose = """
        services:
          db:
            image: local/busybox:1
            env_file: [db.env]
            environment:
              MODE: "${MODE}"
            volumes:
              - data:/data
              - ./conf:/conf:ro
            healthcheck:
              test: ["CMD", "true"]
          web:
            image: local/busybox:1
            command: httpd -f -p ${PORT}
            depends_on:
              db:
                condition: service_healthy
        volumes:
          data:
        """;

    private static AppVersion Version(string compose = Compose) => new(
        "1.0", "", Parameters: [new AppParameter("PORT", "int", "8080"), new AppParameter("MODE", "string", "fast")],
        Compose: compose, ComposeFiles: new Dictionary<string, string> { ["db.env"] = "# comment\nFROM_FILE=yes\nMODE=overridden\n" });

    private static readonly Dictionary<string, string> Parameters = new() { ["PORT"] = "8080", ["MODE"] = "fast" };

    [Fact]
    public void Build_MakesOneServicePerComposeService_WithParametersAndEnvFiles()
    {
        var stack = StackSpecBuilder.Build("demo", "dep-1", Version(), Parameters);

        Assert.Equal(["db", "web"], stack.Services.Select(s => s.ServiceName));
        var db = stack.Services[0];
        Assert.Equal("yes", db.Container.Environment["FROM_FILE"]);
        Assert.Equal("fast", db.Container.Environment["MODE"]);
        Assert.Equal([new VolumeMount("demo_data", "/data"), new VolumeMount("demo_data_conf", "/conf", true)], db.Container.Volumes);
        Assert.Equal(["httpd", "-f", "-p", "8080"], stack.Services[1].Container.Command);
        Assert.Equal([new ServiceDependency("db", DependencyCondition.ServiceHealthy)], stack.Services[1].DependsOn);
        Assert.True(DesiredWorkload.Of(stack).IsWhole());
    }

    [Fact]
    public void Build_OneServiceChanged_ChangesOnlyItsHashAndTheStacks()
    {
        var before = StackSpecBuilder.Build("demo", "dep-1", Version(), Parameters);
        var after = StackSpecBuilder.Build("demo", "dep-2", Version(Compose.Replace("httpd -f -p", "httpd -f -v -p", StringComparison.Ordinal)), Parameters);

        Assert.Equal(before.Services[0].Container.SpecHash, after.Services[0].Container.SpecHash);
        Assert.NotEqual(before.Services[1].Container.SpecHash, after.Services[1].Container.SpecHash);
        Assert.NotEqual(before.SpecHash, after.SpecHash);
    }

    [Fact]
    public void Build_SameVersionRedeployed_SameHashes()
    {
        var first = StackSpecBuilder.Build("demo", "dep-1", Version(), Parameters);
        var again = StackSpecBuilder.Build("demo", "dep-9", Version(), Parameters);

        Assert.Equal(first.SpecHash, again.SpecHash);
        Assert.Equal(first.Services.Select(s => s.Container.SpecHash), again.Services.Select(s => s.Container.SpecHash));
    }

    [Fact]
    public void Validator_AcceptsAStackVersion_WithoutAnImage()
    {
        Assert.Null(AppValidator.VersionProblem(Version()));
    }

    [Theory]
    [InlineData("services:\n  a:\n    image: x\n    privileged: true\n", "Version '1.0': Line 4: 'privileged'")]
    [InlineData("services:\n  a:\n    image: x\n    command: ${NOPE}\n", "'${NOPE}' is used in the compose file")]
    [InlineData("services:\n  a:\n    image: x\n    env_file: missing.env\n", "env_file 'missing.env', which was not uploaded")]
    public void Validator_RefusesABadStack_WithTheLineOrTheReason(string compose, string expected)
    {
        Assert.Contains(expected, AppValidator.VersionProblem(Version(compose)), StringComparison.Ordinal);
    }
}
