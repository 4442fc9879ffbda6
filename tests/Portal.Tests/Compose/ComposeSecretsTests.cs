using Portal.Features.Compose;
using Portal.Features.Deployments;
using Portal.Features.FleetConfig;
using Portal.Shared.Marketplace;

namespace Portal.Tests.Compose;

/// <summary>Compose's secrets, short syntax: each named secret becomes a file at /run/secrets/NAME from the portal's secrets.</summary>
public sealed class ComposeSecretsTests
{
    private const string Compose = """
        services:
          db:
            image: local/busybox:1
            environment:
              POSTGRES_PASSWORD_FILE: /run/secrets/DB_PASSWORD
            secrets: [DB_PASSWORD, API_KEY]
        secrets:
          DB_PASSWORD:
          API_KEY:
            external: true
        """;

    [Fact]
    public void Parse_ShortSyntax_ListsTheServicesSecrets()
    {
        Assert.Equal(["DB_PASSWORD", "API_KEY"], ComposeParser.Parse(Compose).Services.Single().Secrets);
    }

    [Theory]
    [InlineData("services:\n  a:\n    image: x\n    secrets: [NOPE]\n", 4, "Secret 'NOPE' in service 'a' is not declared")]
    [InlineData("services:\n  a:\n    image: x\nsecrets:\n  K:\n    file: /etc/shadow\n", 6, "'file' in secret 'K' is not supported")]
    [InlineData("services:\n  a:\n    image: x\nsecrets:\n  K:\n    environment: HOME\n", 6, "'environment' in secret 'K' is not supported")]
    [InlineData("services:\n  a:\n    image: x\n    secrets:\n      - source: K\n        target: /etc/k\nsecrets:\n  K:\n", 5, "the short syntax")]
    [InlineData("services:\n  a:\n    image: x\nsecrets:\n  '1bad':\n", 5, "Secret name '1bad' must start with a letter")]
    public void Parse_UnsupportedSecrets_AreRefusedWithTheLine(string yaml, int line, string reason)
    {
        var refused = Assert.Throws<ComposeException>(() => ComposeParser.Parse(yaml));

        Assert.Equal(line, refused.Line);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ThenResolve_GivesEachNamedSecretAsAFile_AndTheCheckNamesAMissingOne()
    {
        var version = new AppVersion("1", "", Compose: Compose);
        var stack = StackSpecBuilder.Build("demo", "d1", version, new Dictionary<string, string>());
        var config = new DeviceConfig(new Dictionary<string, string>(), new Dictionary<string, string> { ["DB_PASSWORD"] = "pw", ["API_KEY"] = "k" });

        var resolved = StackConfigResolver.Resolve(stack, config, v => $"<enc {v}>");

        Assert.Equal(new Dictionary<string, string> { ["API_KEY"] = "<enc k>", ["DB_PASSWORD"] = "<enc pw>" }, resolved.Services.Single().Container.SecretFiles);
        Assert.Equal(["${secret:DB_PASSWORD}", "${secret:API_KEY}"],
            CheckedWorkload.ForStack("demo", "Demo", version, new Dictionary<string, string>()).References!.Select(r => r.ToString()));
    }
}
