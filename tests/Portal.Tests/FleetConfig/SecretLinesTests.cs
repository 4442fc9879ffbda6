using Portal.Features.FleetConfig;

namespace Portal.Tests.FleetConfig;

public sealed class SecretLinesTests
{
    [Fact]
    public void Parse_SkipsBlanksAndComments_KeepsEqualsInValues()
    {
        var (pairs, problem) = SecretLines.Parse("# comment\r\nA=1\n\n  B = x=y \n");

        Assert.Null(problem);
        Assert.Equal(["A:1", "B: x=y "], pairs.Select(p => $"{p.Key}:{p.Value}"));
    }

    [Theory]
    [InlineData("A=1\nhunter2", "Line 2 is not KEY=value.")]
    [InlineData("A=1\nA=2", "Line 2 sets A again.")]
    [InlineData("A=", "Line 1 (A) has no value.")]
    [InlineData("# only a comment", "There are no KEY=value lines to import.")]
    public void Parse_BadLine_NamesTheLineNotTheValue(string text, string expected)
    {
        var (pairs, problem) = SecretLines.Parse(text);

        Assert.Empty(pairs);
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData("nginx:1", "docker.io")]
    [InlineData("library/nginx", "docker.io")]
    [InlineData("127.0.0.1:5000/busybox:1", "127.0.0.1:5000")]
    [InlineData("localhost/x", "localhost")]
    [InlineData("ghcr.io/org/app:2", "ghcr.io")]
    public void RegistryHosts_Of_ReadsTheRegistryAsDockerDoes(string image, string host) => Assert.Equal(host, RegistryHosts.Of(image));

    [Fact]
    public void RegistryHosts_Matches_DockerHubAliases() =>
        Assert.True(RegistryHosts.Matches("index.docker.io", "nginx") && !RegistryHosts.Matches("ghcr.io", "nginx"));
}
