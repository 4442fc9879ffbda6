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

    /// <summary>Writes holding registers by hand (function 16, unit 1), as the plant would change them.</summary>
    public async Task WriteRegistersAsync(int address, ushort[] values, CancellationToken ct)
    {
        var pdu = new List<byte> { 16, (byte)(address >> 8), (byte)address, 0, (byte)values.Length, (byte)(values.Length * 2) };
        pdu.AddRange(values.SelectMany(v => new[] { (byte)(v >> 8), (byte)v }));
        await CallAsync([.. pdu], ct);
    }

    /// <summary>Reads one holding register by hand (function 3, unit 1).</summary>
    public async Task<int> ReadRegisterAsync(int address, CancellationToken ct)
    {
        var answer = await CallAsync([3, (byte)(address >> 8), (byte)address, 0, 1], ct);
        return (answer[2] << 8) | answer[3];
    }

    /// <summary>One Modbus TCP request (unit 1): the MBAP header, the PDU, and the answer's PDU.</summary>
    private async Task<byte[]> CallAsync(byte[] pdu, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, Port, ct);
        var stream = client.GetStream();
        byte[] frame = [0, 1, 0, 0, (byte)((pdu.Length + 1) >> 8), (byte)(pdu.Length + 1), 1, .. pdu];
        await stream.WriteAsync(frame, ct);
        var header = new byte[7];
        await stream.ReadExactlyAsync(header, ct);
        var body = new byte[((header[4] << 8) | header[5]) - 1];
        await stream.ReadExactlyAsync(body, ct);
        return body[0] < 0x80 ? body : throw new InvalidOperationException($"Modbus exception {body[^1]} for function {pdu[0]}");
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
