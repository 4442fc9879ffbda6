using System.Net;
using System.Net.Sockets;
using Portal.Agent.Configuration;
using Portal.Agent.Inventory;
using Portal.Testing;

namespace Portal.Agent.Tests;

/// <summary>The inventory's Docker probe: the engine's version, or why none answers in words the portal shows an operator.</summary>
public sealed class DockerProbeTests : IDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string folder = Directory.CreateTempSubdirectory("docker-probe-").FullName;

    [Fact]
    public async Task Probe_NoSocket_SaysThereIsNoneAndWhere()
    {
        var socket = Path.Combine(folder, "docker.sock");

        var result = await Probe($"unix://{socket}").ProbeAsync(ct);

        Assert.Null(result.Version);
        Assert.Equal($"there is no Docker socket at {socket} (Agent:DockerEndpoint)", result.Problem);
    }

    [Fact]
    public async Task Probe_SocketNobodyListensOn_SaysTheEngineDidNotAnswer()
    {
        var path = Path.Combine(folder, "dead.sock");
        // Bound but never listening: the file exists (while the socket does), connecting is refused.
        using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        bound.Bind(new UnixDomainSocketEndPoint(path));

        var result = await Probe($"unix://{path}").ProbeAsync(ct);

        Assert.Null(result.Version);
        Assert.StartsWith($"the Docker engine at unix://{path} did not answer (", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_TcpPortNobodyListensOn_SaysTheEngineDidNotAnswer()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = await Probe($"tcp://127.0.0.1:{port}").ProbeAsync(ct);

        Assert.Null(result.Version);
        Assert.StartsWith($"the Docker engine at tcp://127.0.0.1:{port} did not answer", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_NotAnEndpoint_SaysWhichSettingToFix()
    {
        var result = await Probe("docker.sock").ProbeAsync(ct);

        Assert.Equal("the Docker endpoint 'docker.sock' is not a unix:// or tcp:// address (Agent:DockerEndpoint)", result.Problem);
    }

    [Fact]
    public async Task Probe_RealEngine_ReportsItsVersionAndNoProblem()
    {
        var result = await Probe(DockerEngine.RequireEndpoint()).ProbeAsync(ct);

        Assert.False(string.IsNullOrWhiteSpace(result.Version));
        Assert.Null(result.Problem);
    }

    private static DockerProbe Probe(string endpoint) =>
        new(Microsoft.Extensions.Options.Options.Create(new AgentOptions { DockerEndpoint = endpoint }));

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
