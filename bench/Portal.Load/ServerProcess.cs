using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portal.Load;

/// <summary>
/// A server this tool starts and owns (the portal under test or the bare hub): its output goes to a log file, it is
/// ready when <c>/healthz</c> answers, and it is killed by its own process id, never by name.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly ProcessStartInfo start;
    private readonly string logPath;
    private Process? process;

    public ServerProcess(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath, int port)
    {
        start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The server's own folder: its appsettings.json (log levels among them) is read from the working directory.
        // Started elsewhere, the portal logged every SQL command at Information, which cost it more than the load did.
        if (arguments.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal)) is { } dll && Path.GetDirectoryName(Path.GetFullPath(dll)) is { } folder)
        {
            start.WorkingDirectory = folder;
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        this.logPath = logPath;
        Port = port;
        Url = new Uri($"http://127.0.0.1:{port}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    public int Port { get; }

    public Uri Url { get; }

    public int Pid => process?.Id ?? throw new InvalidOperationException("Not started.");

    public ProcStats Stats() => ProcStats.Read(Pid);

    /// <summary>Starts the process and waits until <c>/healthz</c> answers 200; returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{start.FileName} exited with {process.ExitCode} while starting; see {logPath}.");
            }

            try
            {
                using var response = await Probe.GetAsync(new Uri(Url, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{start.FileName} did not answer /healthz within {timeout.TotalSeconds} s; see {logPath}.");
    }

    public bool Crashed => process is { HasExited: true };

    public void Kill()
    {
        try
        {
            if (process is { HasExited: false } p)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already disposed: nothing runs any more.
        }
    }

    public void Dispose()
    {
        Kill();
        process?.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
