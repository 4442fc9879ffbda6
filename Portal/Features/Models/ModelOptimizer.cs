using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Portal.Configuration;

namespace Portal.Features.Models;

/// <summary>
/// Writes the offline optimized variant of an upload (ONNX Runtime's basic graph optimizations: constant folding, redundant
/// node removal, which run on every CPU and on CUDA alike) in a child process with bounds: ONNX Runtime folds no node
/// whose output exceeds the size the variant may have; the child is killed past its memory or time limit or when its file
/// grows past that size; and a variant larger than allowed is dropped. Whatever happens, the original is kept and served.
/// One optimization runs at a time, so parallel uploads cannot multiply the cost.
/// </summary>
public static class ModelOptimizer
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>How large the variant of a file of <paramref name="originalBytes"/> may be: relative to it, and absolute.</summary>
    public static long MaxVariantBytes(long originalBytes, ModelOptions options)
    {
        var relative = Math.Max((long)Math.Min(long.MaxValue / 2, originalBytes * options.OptimizedMaxGrowth), originalBytes + 1024 * 1024);
        return Math.Min(relative, options.OptimizedMaxMb * 1024L * 1024);
    }

    /// <summary>Null when <paramref name="output"/> holds a loadable variant within the bounds; otherwise why not (the file is removed).</summary>
    public static async Task<string?> OptimizeAsync(string input, string output, long originalBytes, ModelOptions options, CancellationToken ct)
    {
        var maxBytes = MaxVariantBytes(originalBytes, options);
        var timeout = TimeSpan.FromSeconds(options.OptimizeTimeoutSeconds);
        if (!await OneAtATime.WaitAsync(timeout, ct))
        {
            return $"other uploads kept the optimizer busy for {options.OptimizeTimeoutSeconds} s";
        }

        try
        {
            var problem = await RunChildAsync(input, output, maxBytes, options, timeout, ct);
            if (problem is null && new FileInfo(output).Length is var size && size > maxBytes)
            {
                problem = $"the optimized variant would be {size} bytes, more than the {maxBytes} allowed for a {originalBytes}-byte original";
            }

            if (problem is not null)
            {
                ArtifactStore.Discard(output);
            }

            return problem;
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static async Task<string?> RunChildAsync(string input, string output, long maxBytes, ModelOptions options, TimeSpan timeout, CancellationToken ct)
    {
        var start = ChildStart();
        if (start is null)
        {
            return "the portal's own program file was not found to run the optimizer in";
        }

        foreach (var arg in new[] { ModelOptimizerProcess.Verb, input, output, maxBytes.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        (start.RedirectStandardError, start.RedirectStandardOutput, start.UseShellExecute) = (true, true, false);
        // The child's managed heap is small by design; ONNX Runtime's native memory is what the watch below bounds.
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x10000000";
        var memoryLimit = options.OptimizeMaxMemoryMb * 1024L * 1024;
        using var child = Process.Start(start)!;
        var errors = child.StandardError.ReadToEndAsync(ct);
        _ = child.StandardOutput.ReadToEndAsync(ct);
        var clock = Stopwatch.StartNew();
        try
        {
            while (!child.HasExited)
            {
                child.Refresh();
                string? over = clock.Elapsed > timeout ? $"it took longer than {options.OptimizeTimeoutSeconds} s"
                    : SafeWorkingSet(child) > memoryLimit ? $"it needed more than {options.OptimizeMaxMemoryMb} MB of memory"
                    : File.Exists(output) && new FileInfo(output).Length > maxBytes ? $"the variant grew past the {maxBytes} bytes allowed"
                    : null;
                if (over is not null)
                {
                    child.Kill(entireProcessTree: true);
                    await child.WaitForExitAsync(CancellationToken.None);
                    return $"not optimized: {over}";
                }

                await Task.Delay(Poll, ct);
            }

            await child.WaitForExitAsync(ct);
            var message = ServerPaths.Hide((await errors).Trim());
            return child.ExitCode == 0 ? null : $"ONNX Runtime could not optimize it (exit {child.ExitCode}): {message}";
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }

    private static long SafeWorkingSet(Process child)
    {
        try
        {
            return child.WorkingSet64;
        }
        catch (InvalidOperationException)
        {
            return 0; // exited between the checks
        }
    }

    /// <summary><c>dotnet Portal.dll</c> with the runtime this portal runs on, or the portal's own executable when self-contained.</summary>
    private static ProcessStartInfo? ChildStart()
    {
        var assembly = typeof(ModelOptimizer).Assembly.Location;
        if (string.IsNullOrEmpty(assembly) || !File.Exists(assembly))
        {
            return null;
        }

        // {root}/shared/Microsoft.NETCore.App/{version}/ → {root}/dotnet
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var muxer = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        if (File.Exists(muxer))
        {
            var start = new ProcessStartInfo(muxer);
            start.ArgumentList.Add(assembly);
            return start;
        }

        var apphost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        return File.Exists(apphost) ? new ProcessStartInfo(apphost) : null;
    }
}
