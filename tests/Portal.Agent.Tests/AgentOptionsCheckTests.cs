using Portal.Agent.Configuration;

namespace Portal.Agent.Tests;

public sealed class AgentOptionsCheckTests
{
    [Fact]
    public void Problems_DefaultsWithPortal_None() =>
        Assert.Empty(AgentOptionsCheck.Problems(new AgentOptions { PortalUrl = "https://portal.example.test" }));

    [Fact]
    public void Problems_BadIntervalAndPort_NamesBoth()
    {
        var options = new AgentOptions { PortalUrl = "http://127.0.0.1:5000", TelemetryIntervalSeconds = 0, Inference = new InferenceOptions { Port = 70000 } };

        var problems = AgentOptionsCheck.Problems(options);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains(nameof(AgentOptions.TelemetryIntervalSeconds), StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(nameof(InferenceOptions.Port), StringComparison.Ordinal));
    }

    [Fact]
    public void SwitchMappings_PublicFlags_MapToTheAgentSection() =>
        Assert.Equal(["--portal", "--enroll", "--enroll-file", "--data-dir", "--name"], AgentCommandLine.SwitchMappings.Keys);
}
