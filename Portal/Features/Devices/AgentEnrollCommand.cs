namespace Portal.Features.Devices;

/// <summary>
/// What the enrollment dialog tells an operator to run on a device. The token goes into a file only the agent's user
/// can read (printf is a shell builtin, so it never shows in <c>ps</c>), and the agent reads it with
/// <c>--enroll-file</c>, so it is not on the agent's command line for anyone on the device to see.
/// </summary>
internal static class AgentEnrollCommand
{
    public const string DataDirectory = "/var/lib/portal-agent";
    public const string TokenFile = DataDirectory + "/enrollment-token";

    /// <summary>
    /// One line that installs the newest agent release as a systemd service from the portal's install script; the token
    /// goes into a file (printf is a builtin) and the script moves it where the agent reads it.
    /// </summary>
    public static string Install(string portalUrl, string token) =>
        $"(umask 077; printf '%s\\n' '{token}' > /tmp/portal-enroll) && curl -fsSL {portalUrl}{Portal.Shared.Routes.ApiRoutes.InstallScript} | sudo sh -s -- --portal {portalUrl} --token-file /tmp/portal-enroll";

    public static string For(string portalUrl, string token) =>
        $"install -d -m 700 {DataDirectory}\n" +
        $"(umask 077; printf '%s\\n' '{token}' > {TokenFile})\n" +
        $"dotnet run --project Portal.Agent -- --portal {portalUrl} --enroll-file {TokenFile} --data-dir {DataDirectory} --name \"$(hostname)\"";
}
