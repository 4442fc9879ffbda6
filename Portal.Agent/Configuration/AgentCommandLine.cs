namespace Portal.Agent.Configuration;

/// <summary>The agent's public command-line flags (keep them stable: devices are provisioned with them).</summary>
public static class AgentCommandLine
{
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--portal"] = $"{AgentOptions.SectionName}:{nameof(AgentOptions.PortalUrl)}",
        ["--enroll"] = $"{AgentOptions.SectionName}:{nameof(AgentOptions.EnrollmentToken)}",
        ["--enroll-file"] = $"{AgentOptions.SectionName}:{nameof(AgentOptions.EnrollmentTokenFile)}",
        ["--data-dir"] = $"{AgentOptions.SectionName}:{nameof(AgentOptions.DataDirectory)}",
        ["--name"] = $"{AgentOptions.SectionName}:{nameof(AgentOptions.Name)}",
    };
}
