using Portal.Features.Compose;
using Portal.Features.Deployments;
using Portal.Features.FleetConfig;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Tests.Deployments;

/// <summary>Each service of a stack is resolved as a single container is; only those whose inputs change get a new hash.</summary>
public sealed class StackConfigResolverTests
{
    private const string Compose = """
        services:
          web:
            image: registry.example.com/web:1
            entrypoint: ["sh", "-c", "cat /run/secrets/API_KEY /appconfig/site.conf; exec \"$@\"", "--"]
            command: httpd -f
            environment:
              SITE: ${config:SITE}
              TOKEN: ${secret:TOKEN}
          dep:
            image: local/busybox:1
            command: sleep 3600
        """;

    private static readonly StackSpec Stack = StackSpecBuilder.Build("demo", "d1", new AppVersion("1", "", Compose: Compose), new Dictionary<string, string>());

    private static DeviceConfig Config(string site, string token = "t0ken") => new(
        new Dictionary<string, string> { ["SITE"] = site },
        new Dictionary<string, string> { ["TOKEN"] = token, ["API_KEY"] = "k3y" },
        new Dictionary<string, string> { ["site.conf"] = "x=1" },
        [new RegistryAuth("registry.example.com", "bot", "pw")]);

    private static string Protect(string value) => $"<enc {value}>";

    [Fact]
    public void Resolve_ServiceGetsValuesSecretsFilesAndItsRegistry_TheOtherStaysAsBuilt()
    {
        var resolved = StackConfigResolver.Resolve(Stack, Config("lisbon"), Protect);

        var web = resolved.Services.Single(s => s.ServiceName == "web");
        Assert.Equal("lisbon", web.Container.Environment["SITE"]);
        Assert.Equal("<enc t0ken>", web.Container.Environment["TOKEN"]);
        Assert.Equal(new Dictionary<string, string> { ["API_KEY"] = "<enc k3y>" }, web.Container.SecretFiles);
        Assert.Equal(new Dictionary<string, string> { ["site.conf"] = "x=1" }, web.Container.ConfigFiles);
        Assert.Equal(new RegistryAuth("registry.example.com", "bot", "<enc pw>"), web.Container.Registry);
        Assert.Same(Stack.Services.Single(s => s.ServiceName == "dep"), resolved.Services.Single(s => s.ServiceName == "dep"));
        Assert.Equal(StackSpecBuilder.StackHash(resolved.Services), resolved.SpecHash);
        Assert.True(DesiredWorkload.Of(resolved).IsWhole());
    }

    [Fact]
    public void Resolve_AChangedValue_ChangesOnlyThatServicesHash()
    {
        var before = StackConfigResolver.Resolve(Stack, Config("lisbon"), Protect);
        var after = StackConfigResolver.Resolve(Stack, Config("porto"), Protect);
        var secret = StackConfigResolver.Resolve(Stack, Config("lisbon", "n3w"), Protect);

        Assert.NotEqual(Hash(before, "web"), Hash(after, "web"));
        Assert.NotEqual(Hash(before, "web"), Hash(secret, "web"));
        Assert.Equal(Hash(before, "dep"), Hash(after, "dep"));
        Assert.NotEqual(before.SpecHash, after.SpecHash);
        Assert.Equal(before.SpecHash, StackConfigResolver.Resolve(Stack, Config("lisbon"), Protect).SpecHash);
    }

    [Fact]
    public void Resolve_StackReferencingNothing_IsTheSameInstance()
    {
        var plain = StackSpecBuilder.Build("p", "d1", new AppVersion("1", "", Compose: "services:\n  a:\n    image: local/busybox:1\n"), new Dictionary<string, string>());

        Assert.Same(plain, StackConfigResolver.Resolve(plain, Config("lisbon"), Protect));
    }

    [Fact]
    public void Resolve_DesiredWorkloadOfAStack_ResolvesTheStack()
    {
        var workload = WorkloadConfigResolver.Resolve(DesiredWorkload.Of(Stack), Config("lisbon"), Protect);

        Assert.Equal(WorkloadKind.Stack, workload.Kind);
        Assert.Equal("lisbon", workload.Stack!.Services[0].Container.Environment["SITE"]);
        Assert.Equal(workload.Stack.SpecHash, workload.SpecHash);
    }

    private static string Hash(StackSpec stack, string service) => stack.Services.Single(s => s.ServiceName == service).Container.SpecHash;
}
