namespace Portal.Agent;

/// <summary>Why the agent stopped, for systemd and scripts. 0 is a normal stop. Documented in the README.</summary>
public static class AgentExitCodes
{
    public const int Failed = 1;
    public const int BadConfiguration = 2;
    public const int EnrollmentRefused = 3;
    public const int CredentialsRefused = 4;

    /// <summary><c>credentials.json</c> (and its last good copy) is damaged: the agent cannot say which device it is.</summary>
    public const int CredentialsDamaged = 5;

    /// <summary>
    /// The agent switched to a new version and asks to be started again: <c>portal-agent-launch</c> starts <c>current</c>
    /// at once (and systemd's <c>Restart=on-failure</c> would too). Not in the unit's <c>RestartPreventExitStatus</c>.
    /// </summary>
    public const int RestartRequested = 10;
}
