using System.Diagnostics;

namespace Portal.Testing;

/// <summary>
/// The private registry the README's test command starts (Debian's docker-registry with an htpasswd user,
/// <c>PORTAL_TEST_REGISTRY</c>): images are pushed there and removed from the engine, so only a pull with the
/// credential brings them back.
/// </summary>
public static class TestRegistry
{
    public static string? Address => Environment.GetEnvironmentVariable("PORTAL_TEST_REGISTRY");

    public static string User => Environment.GetEnvironmentVariable("PORTAL_TEST_REGISTRY_USER") ?? "portal-test";

    public static string Password => Environment.GetEnvironmentVariable("PORTAL_TEST_REGISTRY_PASSWORD") ?? "";

    /// <summary>Skips the calling test, saying why, when no registry runs (never in CI).</summary>
    public static string Require()
    {
        if (Address is { } address)
        {
            return address;
        }

        Assert.Skip("No registry: run the tests with ./test.sh (it starts one and sets PORTAL_TEST_REGISTRY).");
        return "";
    }

    /// <summary>Pushes local/busybox:1 as <c>{registry}/{name}-{random}:1</c>, then removes it from the engine; returns the name.</summary>
    public static async Task<string> PushBusyboxAsync(string name, CancellationToken ct)
    {
        var registry = Require();
        var image = $"{registry}/{name}-{Guid.NewGuid():N}:1";
        var config = Path.Combine(Path.GetTempPath(), "portal-registry-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(config);
        try
        {
            await DockerAsync(config, Password, ct, "login", "-u", User, "--password-stdin", registry);
            await DockerAsync(config, null, ct, "tag", "local/busybox:1", image);
            await DockerAsync(config, null, ct, "push", image);
            await DockerAsync(config, null, ct, "rmi", image);
            return image;
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task DockerAsync(string config, string? input, CancellationToken ct, params string[] args)
    {
        var info = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in (string[])["--config", config, "-H", DockerEngine.RequireEndpoint(), .. args])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        var error = await process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, $"docker {args[0]} failed: {error}");
    }
}
