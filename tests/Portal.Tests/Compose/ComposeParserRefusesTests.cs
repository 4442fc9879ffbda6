using Portal.Features.Compose;

namespace Portal.Tests.Compose;

/// <summary>Every refusal names the line a person must fix and says why.</summary>
public sealed class ComposeParserRefusesTests
{
    [Theory]
    [InlineData("services:\n  a:\n    image: x\n    build: .\n", 4, "'build'")]
    [InlineData("services:\n  a:\n    image: x\n    privileged: true\n", 4, "'privileged'")]
    [InlineData("services:\n  a:\n    image: x\n    pid: host\n", 4, "'pid: host'")]
    [InlineData("services:\n  a:\n    image: x\n    ipc: host\n", 4, "'ipc: host'")]
    [InlineData("services:\n  a:\n    image: x\n    cap_add: [SYS_ADMIN]\n", 4, "'cap_add' in service 'a' is not supported")]
    [InlineData("services:\n  a:\n    image: x\nnetworks:\n  n: {}\n", 4, "'networks' in the compose file is not supported")]
    [InlineData("services:\n  a:\n    image: x\n    volumes:\n      - /etc:/host-etc\n", 5, "outside the app's data folder")]
    [InlineData("services:\n  a:\n    image: x\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n", 5, "outside the app's data folder")]
    [InlineData("services:\n  a:\n    image: x\n    volumes:\n      - ./../../etc:/e\n", 5, "'..' is refused")]
    [InlineData("services:\n  a:\n    image: x\n    volumes:\n      - type: bind\n        source: /home\n        target: /h\n", 5, "outside the app's data folder")]
    [InlineData("services:\n  a:\n    image: x\n    volumes:\n      - data:/d\n", 5, "not declared")]
    [InlineData("services:\n  a:\n    image: x\n    network_mode: container:other\n", 4, "network_mode")]
    [InlineData("services:\n  a:\n    image: x\n    restart: sometimes\n", 4, "restart 'sometimes'")]
    [InlineData("services:\n  a:\n    image: x\n    ports:\n      - \"0.0.0.0:80:80\"\n", 5, "HOST:CONTAINER")]
    [InlineData("services:\n  a:\n    image: x\n    ports:\n      - \"8000-8010:80\"\n", 5, "not a port")]
    [InlineData("services:\n  a:\n    image: x\n    environment:\n      - NOEQUALS\n", 5, "KEY=value")]
    [InlineData("services:\n  a:\n    image: x\n    healthcheck:\n      interval: 5s\n", 5, "needs a 'test'")]
    [InlineData("services:\n  a:\n    image: x\n    healthcheck:\n      test: [\"NONE\"]\n", 5, "CMD or CMD-SHELL")]
    [InlineData("services:\n  a:\n    image: x\n    healthcheck:\n      test: true\n      interval: soon\n", 6, "duration")]
    [InlineData("services:\n  a:\n    image: x\n    deploy:\n      replicas: 3\n", 5, "'replicas' in 'deploy' is not supported")]
    [InlineData("services:\n  a:\n    image: x\n    deploy:\n      resources:\n        limits:\n          memory: lots\n", 7, "'memory'")]
    [InlineData("services:\n  a:\n    command: run\n", 2, "needs an 'image'")]
    [InlineData("services:\n  a:\n    image: x\n    depends_on: [ghost]\n", 2, "'ghost', which is not a service")]
    [InlineData("services:\n  a:\n    image: x\n    depends_on:\n      b:\n        condition: service_completed_successfully\n  b:\n    image: y\n", 6, "service_completed_successfully")]
    [InlineData("services:\n  a:\n    image: x\n    depends_on:\n      b:\n        condition: service_healthy\n  b:\n    image: y\n", 2, "has no healthcheck")]
    [InlineData("volumes:\n  v:\n    driver: nfs\nservices:\n  a:\n    image: x\n", 3, "may not set options")]
    [InlineData("services: []\n", 1, "mapping")]
    [InlineData("services: {}\n", 1, "at least one service")]
    [InlineData("name: x\n", 1, "needs 'services'")]
    public void Parse_Refuses_NamingTheLine(string yaml, int line, string reason)
    {
        var refused = Assert.Throws<ComposeException>(() => ComposeParser.Parse(yaml));

        Assert.Equal(line, refused.Line);
        Assert.Contains(reason, refused.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"Line {line}: ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DependsOnCycle_IsRefusedWithThePath()
    {
        const string yaml = """
            services:
              a:
                image: x
                depends_on: [b]
              b:
                image: y
                depends_on: [c]
              c:
                image: z
                depends_on: [a]
            """;

        var refused = Assert.Throws<ComposeException>(() => ComposeParser.Parse(yaml));

        Assert.Equal(2, refused.Line);
        Assert.Contains("cycle: a -> b -> c -> a", refused.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("services:\n  a:\n    image: [unclosed\n", 4)]
    [InlineData("services:\n  a:\n  image: x\n   bad: indent\n", 4)]
    public void Parse_YamlError_IsRefusedWithItsLine(string yaml, int line)
    {
        var refused = Assert.Throws<ComposeException>(() => ComposeParser.Parse(yaml));

        Assert.Equal(line, refused.Line);
        Assert.Contains("The YAML cannot be read", refused.Reason, StringComparison.Ordinal);
    }
}
