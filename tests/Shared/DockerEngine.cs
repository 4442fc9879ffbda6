using System.Diagnostics;

namespace Portal.Testing;

/// <summary>
/// The private Docker engine the README's test command starts (<c>PORTAL_TEST_DOCKER</c>), read with the docker CLI so
/// tests check what the engine really holds, not what the agent believes.
/// </summary>
public static class DockerEngine
{
    public static string? Endpoint
    {
        get
        {
            var endpoint = Environment.GetEnvironmentVariable("PORTAL_TEST_DOCKER");
            return endpoint is { Length: > 0 } && File.Exists(new Uri(endpoint).AbsolutePath) ? endpoint : null;
        }
    }

    /// <summary>Skips the calling test, saying why, when no engine is available (a laptop without Docker; never CI).</summary>
    public static string RequireEndpoint()
    {
        if (Endpoint is { } endpoint)
        {
            return endpoint;
        }

        Assert.Skip("No Docker engine: run the tests with ./test.sh (it starts a private engine and sets PORTAL_TEST_DOCKER).");
        return "";
    }

    public static async Task<string> RunAsync(CancellationToken ct, params string[] args)
    {
        var info = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-H");
        info.ArgumentList.Add(RequireEndpoint());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        var error = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"docker {string.Join(' ', args)} failed: {error}");
    }

    /// <summary>Ids of the containers an agent (device) owns, running or not.</summary>
    public static async Task<IReadOnlyList<string>> ContainersOfAsync(string deviceId, CancellationToken ct) =>
        (await RunAsync(ct, "ps", "-aq", "--no-trunc", "--filter", $"label=io.edgeportal.agent={deviceId}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static Task<string> InspectAsync(string container, string format, CancellationToken ct) => RunAsync(ct, "inspect", "--format", format, container);

    /// <summary>Removes whatever a test's devices left behind.</summary>
    public static async Task RemoveContainersOfAsync(string deviceId)
    {
        if (Endpoint is null)
        {
            return;
        }

        foreach (var id in await ContainersOfAsync(deviceId, CancellationToken.None))
        {
            await RunAsync(CancellationToken.None, "rm", "-f", id);
        }
    }
}
