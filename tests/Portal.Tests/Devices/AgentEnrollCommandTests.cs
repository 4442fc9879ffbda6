using Portal.Features.Devices;

namespace Portal.Tests.Devices;

public sealed class AgentEnrollCommandTests
{
    [Fact]
    public void For_Token_PutsItInAnOwnerOnlyFileAndNotOnTheAgentsCommandLine()
    {
        var lines = AgentEnrollCommand.For("http://portal.example:5000", "enr_abc123").Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Equal("install -d -m 700 /var/lib/portal-agent", lines[0]);
        // printf is a shell builtin: no process, so nothing in ps carries the token.
        Assert.Equal("(umask 077; printf '%s\\n' 'enr_abc123' > /var/lib/portal-agent/enrollment-token)", lines[1]);
        Assert.Equal("dotnet run --project Portal.Agent -- --portal http://portal.example:5000 --enroll-file /var/lib/portal-agent/enrollment-token "
            + "--data-dir /var/lib/portal-agent --name \"$(hostname)\"", lines[2]);
        Assert.DoesNotContain("enr_abc123", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Install_IsOneLine_ThatFetchesThePortalsScript_WithTheTokenInAFile()
    {
        var line = AgentEnrollCommand.Install("http://portal.example:5000", "enr_abc123");

        Assert.DoesNotContain('\n', line);
        Assert.Equal("(umask 077; printf '%s\\n' 'enr_abc123' > /tmp/portal-enroll) && curl -fsSL http://portal.example:5000/install/agent.sh "
            + "| sudo sh -s -- --portal http://portal.example:5000 --token-file /tmp/portal-enroll", line);
    }
}
