using System.Diagnostics;
using Portal.Agent.Updates;

namespace Portal.Agent.Tests.Updates;

/// <summary>
/// <c>portal-agent-launch</c>, the one piece never updated over the air, run by the real <c>/bin/sh</c> with stand-in
/// builds (small scripts): a candidate that ends its trial stays; one that exits first, or hangs past the deadline, is
/// stopped and the previous build is put back and started, with the reason in <c>state/result</c>; exit code 10 starts
/// the agent again. The systemd unit's policy matches the agent's exit codes.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LauncherTests : IDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly AgentInstall install = new(Path.Combine(Path.GetTempPath(), "launcher-" + Guid.NewGuid().ToString("N")));
    private readonly string previous;

    public LauncherTests()
    {
        previous = Build("0.5.1", "echo previous \"$@\" >> \"$PORTAL_AGENT_HOME/ran\"; exit 0");
        install.PointCurrentAt(previous);
        Directory.CreateDirectory(Path.Combine(install.Home, "state"));
    }

    private string Ran => File.Exists(Path.Combine(install.Home, "ran")) ? File.ReadAllText(Path.Combine(install.Home, "ran")) : "";

    private string Build(string version, string body)
    {
        var path = install.VersionPath(version);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private void OnTrial(string candidate, int deadline) => install.Switch(candidate, "0.5.2", "spec-0.5.2", deadline);

    private async Task<int> LaunchAsync()
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Launcher);
        info.ArgumentList.Add("--portal");
        info.ArgumentList.Add("http://127.0.0.1:1");
        info.Environment[AgentInstall.HomeVariable] = install.Home;
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        TestContext.Current.TestOutputHelper?.WriteLine(await errors);
        return process.ExitCode;
    }

    [Fact]
    public async Task CandidateEndsItsTrial_Stays()
    {
        OnTrial(Build("0.5.2", "rm \"$PORTAL_AGENT_HOME/state/pending\"; sleep 1.5; echo candidate >> \"$PORTAL_AGENT_HOME/ran\"; exit 0"), deadline: 30);

        Assert.Equal(0, await LaunchAsync());

        Assert.Equal("candidate\n", Ran);
        Assert.Equal(install.VersionPath("0.5.2"), install.CurrentTarget());
        Assert.Null(install.LastRollback());
    }

    [Fact]
    public async Task CandidateExitsBeforeConnecting_IsRolledBackAndThePreviousStarts()
    {
        OnTrial(Build("0.5.2", "exit 3"), deadline: 30);

        Assert.Equal(0, await LaunchAsync());

        Assert.Equal("previous --portal http://127.0.0.1:1\n", Ran);
        Assert.Equal(previous, install.CurrentTarget());
        var rollback = install.LastRollback()!.Value;
        Assert.Equal(("spec-0.5.2", "0.5.2"), (rollback.SpecHash, rollback.Version));
        Assert.Contains("exited with code 3", rollback.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(install.Pending));
    }

    [Fact]
    public async Task CandidateHangsPastTheDeadline_IsStoppedAndRolledBack()
    {
        OnTrial(Build("0.5.2", "exec sleep 60"), deadline: 2);
        var started = Stopwatch.StartNew();

        Assert.Equal(0, await LaunchAsync());

        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
        Assert.Equal("previous --portal http://127.0.0.1:1\n", Ran);
        Assert.Equal(previous, install.CurrentTarget());
        Assert.Contains("within 2 s", install.LastRollback()!.Value.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitCode10_StartsTheAgentAgain_OtherCodesEndTheLauncher()
    {
        Build("0.5.1", "echo run >> \"$PORTAL_AGENT_HOME/ran\"; [ $(wc -l < \"$PORTAL_AGENT_HOME/ran\") -ge 2 ] && exit 4; exit 10");

        Assert.Equal(4, await LaunchAsync());

        Assert.Equal("run\nrun\n", Ran);
    }

    [Fact]
    public void SystemdUnit_RestartsOnTheRestartCode_AndNotOnRefusals()
    {
        var unit = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(Launcher)!, "portal-agent.service"));
        var prevented = unit.Single(l => l.StartsWith("RestartPreventExitStatus=", StringComparison.Ordinal)).Split('=')[1].Split(' ').Select(int.Parse).ToList();

        Assert.Contains("Restart=on-failure", unit);
        Assert.Equal([AgentExitCodes.BadConfiguration, AgentExitCodes.EnrollmentRefused, AgentExitCodes.CredentialsRefused, AgentExitCodes.CredentialsDamaged], prevented);
        Assert.DoesNotContain(AgentExitCodes.RestartRequested, prevented);
        Assert.Contains(unit, l => l.StartsWith("ExecStart=/opt/portal-agent/portal-agent-launch", StringComparison.Ordinal));
    }

    /// <summary>The launcher in the repository (tests run from tests/&lt;project&gt;/bin/…).</summary>
    private static string Launcher
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "Portal.Agent", "deploy", "portal-agent-launch");
                if (File.Exists(path))
                {
                    return path;
                }
            }

            throw new FileNotFoundException("Portal.Agent/deploy/portal-agent-launch not found above " + AppContext.BaseDirectory);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(install.Home))
        {
            Directory.Delete(install.Home, recursive: true);
        }
    }
}
