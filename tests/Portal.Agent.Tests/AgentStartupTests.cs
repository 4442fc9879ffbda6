using Portal.Testing;

namespace Portal.Agent.Tests;

public sealed class AgentStartupTests : IDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "portal-agent-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Start_WithFlags_LogsConfigurationWithoutTheTokenAndStopsCleanlyOnSigterm()
    {
        await using var agent = AgentProcess.Start(
            "--portal", "http://127.0.0.1:5999", "--enroll", "secret-enrollment-token", "--data-dir", dataDirectory, "--name", "press-line-7");

        await agent.WaitForLineAsync("configured", TimeSpan.FromSeconds(30), ct);
        await agent.TerminateAsync(ct);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(15), ct);

        Assert.Equal(0, agent.ExitCode);
        Assert.Contains("portal http://127.0.0.1:5999", agent.Output, StringComparison.Ordinal);
        Assert.Contains("device name press-line-7", agent.Output, StringComparison.Ordinal);
        Assert.Contains($"data directory {dataDirectory}", agent.Output, StringComparison.Ordinal);
        Assert.Contains("enrollment token given", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-enrollment-token", agent.Output, StringComparison.Ordinal);
        Assert.Contains("stopping", agent.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "--portal URL")]
    [InlineData(new[] { "--portal", "ftp://127.0.0.1" }, "http:// or https://")]
    [InlineData(new[] { "--portal", "not a url" }, "http:// or https://")]
    public async Task Start_WithoutAUsablePortal_ExitsWithCode2AndSaysWhy(string[] args, string expected)
    {
        await using var agent = AgentProcess.Start(args);

        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(2, agent.ExitCode);
        Assert.Contains(expected, agent.Output, StringComparison.Ordinal);
        Assert.Contains("Usage: Portal.Agent --portal URL", agent.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
