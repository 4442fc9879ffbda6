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
}
