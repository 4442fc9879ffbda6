using System.Diagnostics;
using System.Net.Sockets;

namespace Portal.Testing;

/// <summary>
/// A real Modbus TCP server: Debian's python3-pymodbus running <c>tests/Shared/modbus_server.py</c> (its register map
/// is documented there) on a free 127.0.0.1 port. ./test.sh installs the package; where it is missing the tests that
/// need it skip, saying so. Can be frozen (SIGSTOP: connections stay, nothing answers) and stopped and started again
/// on the same port.
/// </summary>
internal sealed class ModbusServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly System.Text.StringBuilder errors = new();
    private Process? process;

    private ModbusServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>Why the tests that need a Modbus server cannot run here, or null.</summary>
    public static string? Missing()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing (./test.sh installs python3-pymodbus)";
        }

        using var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import pymodbus"]) { RedirectStandardError = true })!;
        probe.WaitForExit();
        return probe.ExitCode == 0 ? null : "python3-pymodbus is not installed (./test.sh installs it)";
    }

    public static async Task<ModbusServer> StartAsync(CancellationToken ct)
    {
        var server = new ModbusServer(AgentProcess.FreeLoopbackPort());
        await server.StartAgainAsync(ct);
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port, with the map's initial values.</summary>
    public async Task StartAgainAsync(CancellationToken ct)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "modbus_server.py");
        process = Process.Start(new ProcessStartInfo(Python, [script, Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
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
            catch (SocketException e)
            {
                lock (errors)
                {
                    throw new InvalidOperationException($"The Modbus server on port {Port} did not start ({(process.HasExited ? $"exited with {process.ExitCode}" : "no answer in 15 s")}): {errors}", e);
                }
            }
        }
    }

    /// <summary>Freezes the server: its port stays open but nothing is answered (a hung device).</summary>
    public void Freeze() => Signal("STOP");

    public void Thaw() => Signal("CONT");

    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            Thaw();
        }

        await StopAsync();
    }

    private void Signal(string signal)
    {
        if (process is { HasExited: false })
        {
            using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
        }
    }
}
