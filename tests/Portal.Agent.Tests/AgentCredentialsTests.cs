using System.Text.Json;
using Portal.Agent.Enrollment;
using Portal.Agent.Storage;
using Portal.Testing;

namespace Portal.Agent.Tests;

/// <summary>The real agent process with damaged, restored and refused credentials.</summary>
public sealed class AgentCredentialsTests : IDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "portal-agent-tests", Guid.NewGuid().ToString("N"));

    private string CredentialsPath => Path.Combine(dataDirectory, CredentialStore.FileName);

    [Theory]
    [InlineData("")]
    [InlineData("{\"deviceId\":\"d-1\",\"deviceSec")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("{\"deviceId\":\"d-1\",\"deviceSecret\":\"\",\"portalUrl\":\"http://127.0.0.1:1\"}")]
    public async Task Start_CredentialsFileDamaged_ExitsWithCode5AndOneSentenceOnWhatToDo(string damaged)
    {
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(CredentialsPath, damaged, ct);

        await using var agent = AgentProcess.Start("--portal", $"http://127.0.0.1:{AgentProcess.FreeLoopbackPort()}", "--data-dir", dataDirectory);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(AgentExitCodes.CredentialsDamaged, agent.ExitCode);
        Assert.Contains($"{CredentialsPath} is damaged", agent.Output, StringComparison.Ordinal);
        Assert.Contains("enroll again with a new token", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", agent.Output, StringComparison.Ordinal);
        // The evidence stays where it was.
        Assert.Equal(damaged, await File.ReadAllTextAsync(CredentialsPath, ct));
    }

    [Fact]
    public async Task Start_CredentialsFileDamagedWithAnIntactCopy_RestoresItAndConnects()
    {
        using var portal = new FakePortal();
        var saved = new AgentCredentials("d-restored", "dev_d-restored.abc", portal.Address.ToString(), DateTimeOffset.UnixEpoch);
        new CredentialStore(dataDirectory).Save(saved);
        await File.WriteAllTextAsync(CredentialsPath, "{\"deviceId\":\"d-rest", ct);

        await using var agent = AgentProcess.Start("--portal", portal.Address.ToString(), "--data-dir", dataDirectory);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Contains("restored it from its last good copy", agent.Output, StringComparison.Ordinal);
        Assert.Equal(saved, JsonSerializer.Deserialize<AgentCredentials>(await File.ReadAllTextAsync(CredentialsPath, ct), JsonSerializerOptions.Web));
        // It reached the portal with the restored secret; this fake portal refuses every secret.
        Assert.Equal(AgentExitCodes.CredentialsRefused, agent.ExitCode);
    }

    [Fact]
    public async Task Start_PortalRefusesAnIntactSecret_ExitsWithCode4NamingTheFileAndBothCauses()
    {
        using var portal = new FakePortal();
        new CredentialStore(dataDirectory).Save(new AgentCredentials("d-wrong", "dev_d-wrong.not-issued", portal.Address.ToString(), DateTimeOffset.UnixEpoch));

        await using var agent = AgentProcess.Start("--portal", portal.Address.ToString(), "--data-dir", dataDirectory);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(AgentExitCodes.CredentialsRefused, agent.ExitCode);
        Assert.Contains($"refused the credentials of device d-wrong (the secret in {CredentialsPath})", agent.Output, StringComparison.Ordinal);
        Assert.Contains("decommissioned or deleted on the portal, or the file holds a secret the portal never issued", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("is damaged", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-issued", agent.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
