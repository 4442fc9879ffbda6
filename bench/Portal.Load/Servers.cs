using System.Reflection;
using System.Text.Json;

namespace Portal.Load;

/// <summary>Starts the servers a run measures: the real portal (its Release build, as its own process) and the bare hub (this tool as a child).</summary>
internal static class Servers
{
    public const string AdminEmail = "admin@portal.local";
    public const string AdminPassword = "Load-test-password-1";

    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The portal's Release build on a data directory and port; the same ones again after a restart.</summary>
    public static ServerProcess Portal(string dataDirectory, int port, bool seedSamples)
    {
        var dll = Path.Combine(RepoRoot, "Portal", "bin", "Release", "net10.0", "Portal.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the portal first: dotnet build -c Release Portal ({dll} is missing).");
        }

        var environment = new Dictionary<string, string>
        {
            ["Portal__DataDirectory"] = dataDirectory,
            ["Portal__Bootstrap__AdminEmail"] = AdminEmail,
            ["Portal__Bootstrap__AdminPassword"] = AdminPassword,
            ["Portal__LocalAgent__Enabled"] = "false",
            ["Portal__Models__SeedSamples"] = seedSamples ? "true" : "false",
            ["Portal__Security__RateLimits__EnrollmentPerMinute"] = "1000000",
            ["Portal__Security__RateLimits__SignInPerMinute"] = "100000",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        return new ServerProcess("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"], environment, Path.Combine(dataDirectory, "..", "portal.log"), port);
    }

    /// <summary>The bare hub, with the portal's garbage collector settings so memory figures compare like with like.</summary>
    public static ServerProcess Echo(string logDirectory) => EchoOnPort(logDirectory, ServerProcess.FreePort());

    public static ServerProcess EchoOnPort(string logDirectory, int port)
    {
        var self = Environment.ProcessPath!;
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            arguments.Add(Assembly.GetEntryAssembly()!.Location);
        }

        arguments.AddRange(["echo-server", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var environment = new Dictionary<string, string> { ["DOTNET_gcServer"] = PortalUsesServerGc() ? "1" : "0" };
        return new ServerProcess(arguments.Count == 2 ? self : "dotnet", arguments, environment, Path.Combine(logDirectory, "echo.log"), port);
    }

    public static string NewRunDirectory(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"portal-load-{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        return dir;
    }

    private static bool PortalUsesServerGc()
    {
        var config = Path.Combine(RepoRoot, "Portal", "bin", "Release", "net10.0", "Portal.runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(config));
        return json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var p)
            && p.TryGetProperty("System.GC.Server", out var server) && server.GetBoolean();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Portal.sln was not found above " + AppContext.BaseDirectory);
    }
}
