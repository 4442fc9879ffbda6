namespace Portal.Agent.Actions;

/// <summary>The <c>Agent:Actions</c> section: which remote actions this device allows.</summary>
public sealed class ActionOptions
{
    /// <summary>Whether the portal may reboot this host. Off by default: whoever runs the machine decides.</summary>
    public bool AllowReboot { get; set; }

    /// <summary>What reboots the host, run with <c>/bin/sh -c</c> (the agent's user must be allowed to).</summary>
    public string RebootCommand { get; set; } = "systemctl reboot";

    /// <summary>Images pruning never removes, even unused (base images a site keeps for working offline).</summary>
    public List<string> KeepImages { get; set; } = [];

    /// <summary>
    /// Whether something starts the agent again after it stops with exit code 10; unset: yes under systemd or
    /// <c>portal-agent-launch</c> (they set <c>INVOCATION_ID</c> and <c>PORTAL_AGENT_HOME</c>). The portal's local agent says no.
    /// </summary>
    public bool? Restartable { get; set; }

    public bool IsRestartable => Restartable ?? (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("INVOCATION_ID"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Portal.Agent.Updates.AgentInstall.HomeVariable)));
}
