using System.Collections.Concurrent;
using System.Diagnostics;

namespace Portal.Agent.Tests;

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

    public static AgentProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Portal.Agent.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return new AgentProcess(Process.Start(info)!);
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
