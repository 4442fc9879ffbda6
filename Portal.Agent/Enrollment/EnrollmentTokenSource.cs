using Portal.Agent.Configuration;

namespace Portal.Agent.Enrollment;

/// <summary>
/// Where the enrollment token comes from: <c>--enroll TOKEN</c> or <c>Agent__EnrollmentToken</c> (the same setting), or
/// <c>--enroll-file PATH</c>, which keeps it out of <c>ps</c> and the shell's history. Read only when the agent enrolls,
/// so the file may be deleted once the device is enrolled.
/// </summary>
public static partial class EnrollmentTokenSource
{
    /// <summary>The token, or null when none is given or its file cannot be used (the reason is logged).</summary>
    public static string? Read(AgentOptions options, ILogger logger)
    {
        if (!string.IsNullOrEmpty(options.EnrollmentToken))
        {
            return options.EnrollmentToken.Trim();
        }

        if (string.IsNullOrEmpty(options.EnrollmentTokenFile))
        {
            return null;
        }

        var path = Path.GetFullPath(options.EnrollmentTokenFile);
        string token;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(logger, path, ex.Message);
            return null;
        }

        if (token.Length == 0 || token.Any(char.IsWhiteSpace))
        {
            LogNotAToken(logger, path);
            return null;
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            LogReadableByOthers(logger, path);
        }

        return token;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot read the enrollment token from --enroll-file {Path}: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "--enroll-file {Path} does not hold an enrollment token: it should hold the token alone (enr_...), on one line.")]
    private static partial void LogNotAToken(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The enrollment token file {Path} is readable by other users: chmod 600 it, or delete it once the device is enrolled.")]
    private static partial void LogReadableByOthers(ILogger logger, string path);
}
