using Microsoft.Playwright;
using Portal.Testing;

namespace Portal.E2ETests;

[CollectionDefinition(nameof(SharedBrowser))]
public sealed class SharedBrowser : ICollectionFixture<BrowserFixture>;

/// <summary>
/// One real portal on a loopback Kestrel port and Debian's Chromium driven by Playwright. Without Chromium the tests
/// are skipped with the reason (a developer laptop); the README's test command installs it, so CI runs them.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumPaths = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

    private IPlaywright? playwright;

    public PortalFactory Portal { get; } = new();

    public Uri BaseAddress { get; private set; } = default!;

    public IBrowser? Browser { get; private set; }

    public string? SkipReason { get; private set; }

    public string ScreenshotDirectory { get; } = ScreenshotFolder();

    public async ValueTask InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : ChromiumPaths.FirstOrDefault(File.Exists);
        if (chromium is null || !File.Exists(chromium))
        {
            SkipReason = "Chromium is not installed (apt-get install chromium, or run ./test.sh which installs it).";
            return;
        }

        // Drift windows of seconds, not minutes, so the model flow sees its drift within the test.
        Portal.Settings["Portal:ModelMonitoring:WindowSeconds"] = "2";
        Portal.Settings["Portal:ModelMonitoring:MinWindowRequests"] = "50";
        BaseAddress = Portal.StartOnLoopback();
        // A 2-core CI machine renders and reconnects slower than a laptop.
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public Task<IPage> NewPageAsync() => NewPageAsync(BaseAddress);

    /// <summary>A page of another portal (the scale-out tests run their own instances).</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        Assert.SkipWhen(Browser is null, SkipReason ?? "No browser.");
        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 860 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Portal.DisposeAsync();
    }

    private static string ScreenshotFolder()
    {
        var configured = Environment.GetEnvironmentVariable("PORTAL_TEST_ARTIFACTS");
        var root = configured is { Length: > 0 } ? configured : Path.Combine(RepositoryRoot(), "artifacts");
        var folder = Path.Combine(root, "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Path.GetTempPath();
    }
}
