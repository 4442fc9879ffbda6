using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Testing;

/// <summary>
/// A real portal on a real SQLite file in a private temporary data directory (or, when ./test.sh runs the suite with
/// PORTAL_TEST_DATABASE=Postgres, on its own database of the private PostgreSQL server). With <see cref="StartOnLoopback"/>
/// it listens on a real Kestrel port bound to 127.0.0.1 (for browsers and agents).
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@portal.local";
    public const string AdminPassword = "Bootstrap-Passw0rd!";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("N"));

    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>Service changes for one test (e.g. a database interceptor that fails on purpose), applied after the portal's own.</summary>
    public List<Action<IServiceCollection>> TestServices { get; } = [];

    /// <summary>Every line the portal logged (message and exception), for tests that check what must never be logged.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> LogLines { get; } = new();

    /// <summary>The lines of <see cref="LogLines"/> at Warning and above: what a default configuration prints.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> WarningLines { get; } = new();

    /// <summary>Starts Kestrel on a free loopback port and returns its address (no trailing slash).</summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // Debug and up into memory (the console keeps its usual level), so secret checks see the chattiest logs too.
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(LogLines, WarningLines)).AddFilter<CapturingLoggerProvider>(null, LogLevel.Debug));
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        builder.UseSetting("Portal:Bootstrap:AdminPassword", AdminPassword);
        // The quick start runs a local agent; tests start the agents they need themselves.
        builder.UseSetting("Portal:LocalAgent:Enabled", "false");
        // Seeding the sample models costs each portal a few hundred ms in ONNX Runtime; the model tests turn it on.
        builder.UseSetting("Portal:Models:SeedSamples", "false");
        // Many tests sign in and enroll in quick succession from one address; HardeningTests set real limits.
        builder.UseSetting("Portal:Security:RateLimits:SignInPerMinute", "10000");
        builder.UseSetting("Portal:Security:RateLimits:EnrollmentPerMinute", "10000");
        builder.UseSetting("Portal:Security:RateLimits:TokenCreationPerMinute", "10000");
        builder.UseSetting("Portal:Security:RateLimits:UploadsPerMinute", "10000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => TestServices.ForEach(configure => configure(services)));

        // The database follows the data directory, so a test that restarts a portal on the same directory finds its data.
        foreach (var (key, value) in TestDatabases.SettingsFor(EffectiveDataDirectory, OnPostgres))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>True when this portal runs on PostgreSQL.</summary>
    public bool OnPostgres => TestDatabases.UsePostgres && !Settings.ContainsKey("Portal:Database:Provider");

    private string EffectiveDataDirectory => Settings.TryGetValue("Portal:DataDirectory", out var configured) && configured is not null ? configured : DataDirectory;

    private bool keepData;

    /// <summary>Stops the portal like a crash or a restart would, leaving its data for the next instance.</summary>
    public async Task StopKeepingDataAsync()
    {
        keepData = true;
        await DisposeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (keepData)
        {
            return;
        }

        await DeleteDataDirectoryAsync();

        if (OnPostgres)
        {
            TestDatabases.Drop(DataDirectory);
        }
    }

    /// <summary>
    /// Deletes the data directory once the host has stopped. Once in a full CI run (not reproduced alone) a file appeared
    /// while it was being deleted ("Directory not empty"): some work outlived the host's shutdown. Cleanup is not what
    /// the tests check, so the late file is named on stderr for whoever looks into it, and the deletion tried again.
    /// </summary>
    private async Task DeleteDataDirectoryAsync()
    {
        for (var attempt = 1; Directory.Exists(DataDirectory); attempt++)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException) when (attempt < 10)
            {
                var late = Directory.Exists(DataDirectory)
                    ? string.Join(", ", Directory.EnumerateFileSystemEntries(DataDirectory, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(DataDirectory, e)))
                    : "(gone)";
                await Console.Error.WriteLineAsync($"warning: the portal wrote into {DataDirectory} after it stopped: {late}");
                await Task.Delay(200);
            }
        }
    }
}

/// <summary>Keeps each log line in memory.</summary>
internal sealed class CapturingLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> lines, System.Collections.Concurrent.ConcurrentQueue<string> warnings) : Microsoft.Extensions.Logging.ILoggerProvider
{
    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines, warnings);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines, System.Collections.Concurrent.ConcurrentQueue<string> warnings) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{category}: {formatter(state, exception)} {exception}";
            lines.Enqueue(line);
            if (logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                warnings.Enqueue(line);
            }
        }
    }
}
