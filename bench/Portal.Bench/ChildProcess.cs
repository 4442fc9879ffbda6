using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Portal.Bench;

/// <summary>A process this tool started (<c>dotnet some.dll</c>), its output kept, stopped with SIGTERM when disposed.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private ChildProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Output => string.Join('\n', lines);

    /// <summary>Runs <paramref name="program"/>: a .dll through the <c>dotnet</c> host, anything else (a published single file) as it is.</summary>
    public static ChildProcess StartDotnet(string program, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var viaHost = program.EndsWith(".dll", StringComparison.Ordinal);
        var info = new ProcessStartInfo(viaHost ? "dotnet" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(program)!,
        };
        if (viaHost)
        {
            info.ArgumentList.Add(program);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return new ChildProcess(Process.Start(info)!);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
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
}
