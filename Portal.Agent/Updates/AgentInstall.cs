using System.Globalization;
using System.Text;
using Portal.Agent.Storage;

namespace Portal.Agent.Updates;

/// <summary>
/// The agent's installation as <c>portal-agent-launch</c> lays it out under <c>PORTAL_AGENT_HOME</c>:
/// <c>versions/&lt;v&gt;/portal-agent</c> (one single-file build per version), <c>current</c> (a symlink to the build the
/// launcher starts) and <c>state/</c> (<c>pending</c> while a new version is on trial, <c>result</c> after the launcher
/// rolled one back; key=value lines, readable from sh). An install copies a verified file into its version's folder
/// (a temporary name, fsync, rename), writes <c>pending</c>, then points <c>current</c> at it with one rename(2), so
/// a power cut at any point leaves either the old version or the new one on trial, never half of one.
/// </summary>
public sealed class AgentInstall(string home)
{
    public const string HomeVariable = "PORTAL_AGENT_HOME";
    public const string BinaryName = "portal-agent";

    public string Home { get; } = Path.GetFullPath(home);

    public string Current => Path.Combine(Home, "current");

    public string Pending => Path.Combine(Home, "state", "pending");

    public string Result => Path.Combine(Home, "state", "result");

    public string VersionPath(string version) => Path.Combine(Home, "versions", version, BinaryName);

    /// <summary>The installation this process was started from, or why there is none (it cannot update itself then).</summary>
    public static (AgentInstall? Install, string? Problem) Find(string? home)
    {
        if (string.IsNullOrEmpty(home))
        {
            return (null, $"This agent was not started by portal-agent-launch ({HomeVariable} is not set), so it cannot replace itself: install it as the README says.");
        }

        var install = new AgentInstall(home);
        return new FileInfo(install.Current).LinkTarget is null
            ? (null, $"{install.Current} is not a symlink to the agent's build, so this agent cannot switch versions: install it as the README says.")
            : (install, null);
    }

    /// <summary>The build <c>current</c> points at, as an absolute path.</summary>
    public string? CurrentTarget() => new FileInfo(Current).LinkTarget is { } target ? Path.GetFullPath(target, Home) : null;

    /// <summary>Copies the verified file into <c>versions/&lt;version&gt;/</c> as an executable, durably.</summary>
    public string Place(string version, string verifiedFile)
    {
        var target = VersionPath(version);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temporary = target + ".tmp";
        File.Copy(verifiedFile, temporary, overwrite: true);
        using (var file = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        File.Move(temporary, target, overwrite: true);
        DirectorySync.Flush(folder);
        return target;
    }

    /// <summary>
    /// Puts <paramref name="candidate"/> on trial: <c>pending</c> names it, the build to go back to and how long it has;
    /// then <c>current</c> points at it. The launcher starts it at the next start.
    /// </summary>
    public void Switch(string candidate, string version, string specHash, int healthSeconds)
    {
        var previous = CurrentTarget() ?? throw new IOException($"{Current} is not a symlink.");
        DurableFile.Write(Pending, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"candidate={candidate}\nprevious={previous}\nversion={version}\nspec={specHash}\ndeadline={healthSeconds}\n")), keepBackup: false);
        PointCurrentAt(candidate);
    }

    /// <summary>Replaces the <c>current</c> symlink in one rename, so it never is missing.</summary>
    public void PointCurrentAt(string target)
    {
        var link = Current + ".new";
        File.Delete(link);
        File.CreateSymbolicLink(link, target);
        File.Move(link, Current, overwrite: true);
        DirectorySync.Flush(Home);
    }

    /// <summary>
    /// Called once this version connected and reported: ends its trial (the launcher sees <c>pending</c> go and stops
    /// watching the deadline) and removes builds that are neither current nor the one it replaced. A <c>pending</c> left
    /// from a switch that never happened (<c>current</c> is not its candidate) is removed too. True when a trial ended.
    /// </summary>
    public bool Commit()
    {
        if (ReadState(Pending) is not { } pending)
        {
            return false;
        }

        var current = CurrentTarget();
        File.Delete(Pending);
        DirectorySync.Flush(Path.GetDirectoryName(Pending)!);
        var committed = current is not null && pending.TryGetValue("candidate", out var candidate) && Path.GetFullPath(candidate) == current;
        if (committed)
        {
            Prune(current!, pending.GetValueOrDefault("previous"));
        }

        return committed;
    }

    /// <summary>What the launcher wrote after its last rollback: the spec hash it rolled back and why; null when none.</summary>
    public (string SpecHash, string Version, string Reason)? LastRollback() =>
        ReadState(Result) is { } result && result.GetValueOrDefault("outcome") == "rolled-back"
            ? (result.GetValueOrDefault("spec") ?? "", result.GetValueOrDefault("version") ?? "", result.GetValueOrDefault("reason") ?? "it did not come up")
            : null;

    private void Prune(string keep, string? previous)
    {
        var versions = Path.Combine(Home, "versions");
        foreach (var folder in Directory.Exists(versions) ? Directory.GetDirectories(versions) : [])
        {
            var binary = Path.Combine(folder, BinaryName);
            if (binary != keep && binary != previous)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // In use or already gone: the next commit tries again.
                }
            }
        }
    }

    /// <summary>key=value lines; null when the file is not there. Unreadable lines are skipped.</summary>
    public static Dictionary<string, string>? ReadState(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return text.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2 && p[0].Length > 0)
            .GroupBy(p => p[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last()[1].TrimEnd('\r'), StringComparer.Ordinal);
    }
}
