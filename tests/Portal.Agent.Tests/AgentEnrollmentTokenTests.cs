using Portal.Agent.Enrollment;
using Portal.Shared.Devices;
using Portal.Testing;

namespace Portal.Agent.Tests;

/// <summary>The real agent process taking its enrollment token from a file or the environment, out of sight of <c>ps</c>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentEnrollmentTokenTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string root = Path.Combine(Path.GetTempPath(), "portal-agent-tests", Guid.NewGuid().ToString("N"));

    private string DataDirectory => Path.Combine(root, "agent-data");

    private string TokenFile => Path.Combine(root, "enrollment-token");

    [Fact]
    public async Task Start_TokenInAFile_EnrollsWithItNeverShowsItAndSavesCredentialsOwnerOnly()
    {
        using var portal = new FakePortal { Enrolled = new EnrollResponse("d-file", "dev_d-file.secret") };
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(TokenFile, "enr_from-a-file\n", ct);
        File.SetUnixFileMode(TokenFile, OwnerOnly);

        await using var agent = AgentProcess.Start("--portal", portal.Address.ToString(), "--enroll-file", TokenFile, "--data-dir", DataDirectory);
        // Enrolled, then refused at the hub by the fake portal: exit 4 ends the run.
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal("enr_from-a-file", Assert.Single(portal.Enrollments).Token);
        Assert.Contains($"enrollment token in {TokenFile}", agent.Output, StringComparison.Ordinal);
        Assert.Contains("Enrolled as device d-file", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("enr_from-a-file", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("readable by other users", agent.Output, StringComparison.Ordinal);
        Assert.Equal(AgentExitCodes.CredentialsRefused, agent.ExitCode);
        var credentials = Path.Combine(DataDirectory, CredentialStore.FileName);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(credentials));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(credentials + ".bak"));
        Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(DataDirectory));
    }

    [Fact]
    public async Task Start_TokenInTheEnvironment_EnrollsWithIt()
    {
        using var portal = new FakePortal();

        await using var agent = AgentProcess.Start(new Dictionary<string, string> { ["Agent__EnrollmentToken"] = "enr_from-the-environment" },
            "--portal", portal.Address.ToString(), "--data-dir", DataDirectory);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal("enr_from-the-environment", Assert.Single(portal.Enrollments).Token);
        Assert.Equal(AgentExitCodes.EnrollmentRefused, agent.ExitCode);
        Assert.Contains("The enrollment token is unknown, expired or used up.", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("enr_from-the-environment", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_TokenFileMissing_ExitsWithCode3NamingTheFile()
    {
        using var portal = new FakePortal();

        await using var agent = AgentProcess.Start("--portal", portal.Address.ToString(), "--enroll-file", TokenFile, "--data-dir", DataDirectory);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(AgentExitCodes.EnrollmentRefused, agent.ExitCode);
        Assert.Contains($"Cannot read the enrollment token from --enroll-file {TokenFile}", agent.Output, StringComparison.Ordinal);
        Assert.Empty(portal.Enrollments);
    }

    [Fact]
    public async Task Start_TokenFileReadableByOthers_WarnsAndEnrolls()
    {
        using var portal = new FakePortal();
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(TokenFile, "enr_loose", ct);
        File.SetUnixFileMode(TokenFile, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var agent = AgentProcess.Start("--portal", portal.Address.ToString(), "--enroll-file", TokenFile, "--data-dir", DataDirectory);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Contains($"The enrollment token file {TokenFile} is readable by other users", agent.Output, StringComparison.Ordinal);
        Assert.Equal("enr_loose", Assert.Single(portal.Enrollments).Token);
    }

    [Fact]
    public async Task Start_TokenGivenTwoWays_ExitsWithCode2()
    {
        await using var agent = AgentProcess.Start("--portal", "http://127.0.0.1:5999", "--enroll", "enr_a", "--enroll-file", TokenFile, "--data-dir", DataDirectory);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(AgentExitCodes.BadConfiguration, agent.ExitCode);
        Assert.Contains("Give the enrollment token one way", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("enr_a", agent.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
