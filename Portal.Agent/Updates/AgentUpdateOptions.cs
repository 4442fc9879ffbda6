using System.ComponentModel.DataAnnotations;

namespace Portal.Agent.Updates;

/// <summary>The <c>Agent:Update</c> section: whether this agent takes updates over the air, and how long a new version has to prove itself.</summary>
public sealed class AgentUpdateOptions
{
    /// <summary>Off: agent release deployments report Failed on this device, saying updates are off here.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a new version has, from its start, to connect to the portal and report its inventory; after that the
    /// launcher stops it and starts the previous version again.
    /// </summary>
    [Range(10, 3600)]
    public int HealthTimeoutSeconds { get; set; } = 180;

    /// <summary>Where the agent is installed (versions/, current, state/); by default <c>PORTAL_AGENT_HOME</c>, which the launcher sets.</summary>
    public string? Home { get; set; }

    /// <summary>The installation folder: <see cref="Home"/>, else <c>PORTAL_AGENT_HOME</c>; null when neither is set.</summary>
    public string? ResolvedHome => string.IsNullOrEmpty(Home) ? Environment.GetEnvironmentVariable(AgentInstall.HomeVariable) : Home;
}
