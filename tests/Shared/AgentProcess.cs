using System.Collections.Concurrent;
using System.Diagnostics;

namespace Portal.Testing;

/// <summary>The real agent binary in its own process, with its output captured line by line.</summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly SemaphoreSlim lineArrived = new(0);

    private AgentProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', lines);

    public int ExitCode => process.ExitCode;

    /// <summary>Waits until the portal lists the agent's device, by name, as Online; returns its id.</summary>
    public async Task<string> WaitUntilOnlineAsync(HttpClient admin, string name, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var list = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<List<Portal.Shared.Devices.DeviceDto>>(admin, Portal.Shared.Routes.ApiRoutes.Devices, ct);
            if (list!.FirstOrDefault(d => d.Name == name && d.Status == Portal.Shared.Devices.DeviceStatus.Online) is { } device)
            {
                return device.Id;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"Agent {name} did not come online:\n{Output}");
    }

    /// <summary>A port nothing listens on now, on 127.0.0.1.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static AgentProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts the agent with extra environment variables (settings such as Agent__TelemetryIntervalSeconds).</summary>
    public static AgentProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var agent = AgentBinary();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(agent)!,
        };
        info.ArgumentList.Add(agent);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return new AgentProcess(Process.Start(info)!);
    }

    /// <summary>Any command (a published agent build, its launcher) with the agent's output handling.</summary>
    public static AgentProcess StartCommand(string file, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return new AgentProcess(Process.Start(info)!);
    }

    /// <summary>The agent beside the test binaries (Portal.Agent.Tests) or in the agent project's own output.</summary>
    private static string AgentBinary()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Portal.Agent.dll");
        if (File.Exists(beside))
        {
            return beside;
        }

        // tests/<Project>/bin/<Configuration>/<tfm>/ -> Portal.Agent/bin/<Configuration>/<tfm>/Portal.Agent.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = output.Name;
        var configuration = output.Parent!.Name;
        var root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "Portal.Agent", "bin", configuration, tfm, "Portal.Agent.dll");
    }

    public async Task WaitForLineAsync(string text, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        while (!lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            try
            {
                await lineArrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"The agent did not print '{text}' within {timeout}. It printed:\n{Output}");
            }
        }
    }

    /// <summary>Sends SIGTERM, as systemd or <c>docker stop</c> would.</summary>
    public async Task TerminateAsync(CancellationToken ct)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(ct);
    }

    public Task WaitForExitAsync(TimeSpan timeout, CancellationToken ct) => process.WaitForExitAsync(ct).WaitAsync(timeout, ct);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        lineArrived.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
            lineArrived.Release();
        }
    }
}
