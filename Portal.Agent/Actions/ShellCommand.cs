using System.Diagnostics;

namespace Portal.Agent.Actions;

/// <summary>Runs a command of the device's own settings with <c>/bin/sh -c</c>, killed past a time limit; the output is kept short for a report.</summary>
public static class ShellCommand
{
    /// <summary>The exit code (-1 when it ran out of time) and up to 500 characters of what it printed.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string command, TimeSpan limit, CancellationToken ct)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh could not be started.");
        using var within = CancellationTokenSource.CreateLinkedTokenSource(ct);
        within.CancelAfter(limit);
        var stdout = process.StandardOutput.ReadToEndAsync(within.Token);
        var stderr = process.StandardError.ReadToEndAsync(within.Token);
        try
        {
            await process.WaitForExitAsync(within.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"it did not finish within {limit.TotalSeconds:0} s.");
        }

        var output = ((await stdout) + (await stderr)).Trim();
        return (process.ExitCode, output.Length > 500 ? output[..500] : output);
    }
}
