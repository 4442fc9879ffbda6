using System.Collections.Concurrent;
using System.Diagnostics;

namespace Portal.Testing;

/// <summary>
/// A real portal in its own process (the built Portal.dll), on a free 127.0.0.1 port, configured through environment
/// variables as an operator would. <see cref="Kill"/> ends it like a crash would: no graceful stop, no lease released.
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private PortalProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output => string.Join('\n', lines);

    public bool HasExited => process.HasExited;

    /// <summary>Starts the portal with these settings (<c>Portal:DataDirectory</c> and so on) and waits until /healthz answers.</summary>
    public static async Task<PortalProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        var port = AgentProcess.FreeLoopbackPort();
        var dll = PortalBinary();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var portal = new PortalProcess(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = portal.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !portal.HasExited)
        {
            try
            {
                using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct);
                if (health.IsSuccessStatusCode)
                {
                    return portal;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(250, ct);
        }

        var output = portal.Output;
        await portal.DisposeAsync();
        throw new TimeoutException($"The portal on port {port} did not answer /healthz:\n{output}");
    }

    /// <summary>Ends the process at once (SIGKILL), as a crash or a pulled plug would.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    /// <summary>Portal.dll in the portal project's own output (the test projects reference it, so it is built).</summary>
    private static string PortalBinary()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
                var dll = Path.Combine(dir.FullName, "Portal", "bin", configuration, "net10.0", "Portal.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the portal first (dotnet build Portal.sln).", dll);
            }
        }

        throw new DirectoryNotFoundException("Portal.sln was not found above " + AppContext.BaseDirectory);
    }
}
