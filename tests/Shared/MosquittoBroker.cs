using System.Diagnostics;
using System.Net.Sockets;

namespace Portal.Testing;

/// <summary>
/// A real MQTT broker: Debian's mosquitto with its own config file (no system service), listening on a free
/// 127.0.0.1 port, anonymous clients refused, one user from a password file made with mosquitto_passwd. ./test.sh
/// installs it; where it is missing the tests that need it skip, saying so. Can be stopped and started again on the
/// same port.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    public const string User = "edge-agent";
    public const string Password = "mqtt-Passw0rd-4";
    private const string Mosquitto = "/usr/sbin/mosquitto";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "portal-mosquitto", Guid.NewGuid().ToString("N"));
    private Process? process;

    private MosquittoBroker(int port) => Port = port;

    public int Port { get; }

    public static string? Missing() =>
        File.Exists(Mosquitto) && File.Exists("/usr/bin/mosquitto_passwd") ? null : "mosquitto is not installed (./test.sh installs mosquitto and mosquitto-clients)";

    public static async Task<MosquittoBroker> StartAsync(CancellationToken ct)
    {
        var broker = new MosquittoBroker(AgentProcess.FreeLoopbackPort());
        Directory.CreateDirectory(broker.folder);
        var passwords = Path.Combine(broker.folder, "passwd");
        using (var passwd = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_passwd", ["-b", "-c", passwords, User, Password]) { RedirectStandardError = true, RedirectStandardOutput = true })!)
        {
            await passwd.WaitForExitAsync(ct);
        }

        await File.WriteAllTextAsync(Path.Combine(broker.folder, "mosquitto.conf"), $"""
            listener {broker.Port} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            persistence false
            log_dest stderr
            """, ct);
        await broker.StartAgainAsync(ct);
        return broker;
    }

    public async Task StartAgainAsync(CancellationToken ct)
    {
        process = Process.Start(new ProcessStartInfo(Mosquitto, ["-c", Path.Combine(folder, "mosquitto.conf")]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, Port, ct);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
