using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Hostile and unlucky uploads: folding bombs, oversized bodies, server paths in errors, a failed save, a second instance.</summary>
public sealed class UploadHardeningTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string scratch = Path.Combine(Path.GetTempPath(), "portal-upload-tests", Guid.NewGuid().ToString("N"));
    private HttpClient admin = default!;

    private string Objects => Path.Combine(portal.DataDirectory, "artifacts", "sha256");

    private string Incoming => Path.Combine(portal.DataDirectory, "artifacts", "incoming");

    public ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Models:MaxUploadMb"] = "1";
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Upload_AConstantFoldingBomb_IsStoredQuicklyWithABoundedVariantAndThePortalsMemoryUntouched()
    {
        // 2^27 floats: folding writes a 512 MiB tensor (the reported 135-byte model made 1 GiB in 16 s).
        var bomb = await HostileModels.ExpandBombAsync(scratch, 1L << 27, ct);
        admin = await ApiClient.AdminAsync(portal, ct);
        await CreateModelAsync("bomb");
        var peakBefore = PeakWorkingSet();
        var clock = Stopwatch.StartNew();

        using var response = await PostFileAsync("bomb", await File.ReadAllBytesAsync(bomb, ct), "bomb.onnx");

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(ct));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        var version = (await response.Content.ReadFromJsonAsync<ModelVersionDto>(ct))!;
        var original = new FileInfo(bomb).Length;
        Assert.True(version.OptimizedSizeBytes is null || version.OptimizedSizeBytes <= original + 1024 * 1024, $"optimized variant of {version.OptimizedSizeBytes} bytes");
        Assert.All(Directory.GetFiles(Objects), f => Assert.InRange(new FileInfo(f).Length, 0, original + 1024 * 1024));
        Assert.Empty(Directory.GetFiles(Incoming));
        // Folding in the portal's own process cost it the whole tensor (and more); now a child process does it, bounded.
        Assert.InRange(PeakWorkingSet() - peakBefore, long.MinValue, 256L * 1024 * 1024);
        using var file = await admin.GetAsync(ApiRoutes.ModelVersionFile("bomb", version.Version), ct);
        Assert.Equal(await File.ReadAllBytesAsync(bomb, ct), await file.Content.ReadAsByteArrayAsync(ct));
    }

    [Fact]
    public async Task Upload_WhoseOptimizedCopyGrows_KeepsOnlyTheOriginalForDevices()
    {
        // 4096 floats: folding writes a 16 KiB tensor into a ~140-byte model, well within the optimizer's bounds.
        var growing = await HostileModels.ExpandBombAsync(scratch, 4096, ct);
        admin = await ApiClient.AdminAsync(portal, ct);
        await CreateModelAsync("growing");

        using var response = await PostFileAsync("growing", await File.ReadAllBytesAsync(growing, ct), "growing.onnx");

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(ct));
        var version = (await response.Content.ReadFromJsonAsync<ModelVersionDto>(ct))!;
        Assert.Equal((null, null), (version.OptimizedSha256, version.OptimizedSizeBytes));
        Assert.Equal(version.Sha256, Path.GetFileName(Assert.Single(Directory.GetFiles(Objects))));
        Assert.Empty(Directory.GetFiles(Incoming));
    }

    [Fact]
    public async Task Upload_FarOverTheSizeLimitOnKestrel_Is413WithAProblem()
    {
        var address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
        await CreateModelAsync("too-big");
        // As curl does for large bodies: "Expect: 100-continue", so the client waits for the portal's verdict instead of
        // writing 3 MB into a connection the portal closes after its 413 (a broken pipe on a loaded machine).
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient(handler) { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        http.DefaultRequestHeaders.ExpectContinue = true;

        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[3 * 1024 * 1024]), "file", "huge.onnx" } };
        using var response = await http.PostAsync(ApiRoutes.ModelVersions("too-big"), form, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(ct);
        Assert.Contains("larger than the 1 MB limit", problem!.Detail, StringComparison.Ordinal);
        Assert.True(!Directory.Exists(Incoming) || Directory.GetFiles(Incoming).Length == 0);
    }

    [Fact]
    public async Task Upload_WhoseExternalDataIsMissing_IsRefusedWithoutNamingAServerPath()
    {
        var model = await HostileModels.MissingExternalDataAsync(scratch, ct);
        admin = await ApiClient.AdminAsync(portal, ct);
        await CreateModelAsync("external");

        using var response = await PostFileAsync("external", await File.ReadAllBytesAsync(model, ct), "external-data.onnx");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail!;
        Assert.Contains("external-data.onnx", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(portal.DataDirectory, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_WhenTheVersionRowCannotBeStored_LeavesNoFileAndNoVersion()
    {
        portal.TestServices.Add(services => services.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(new FailVersionInserts())));
        admin = await ApiClient.AdminAsync(portal, ct);
        await CreateModelAsync("unlucky");

        using var response = await PostFileAsync("unlucky", await File.ReadAllBytesAsync(SampleModels.Solar, ct), "solar.onnx");

        Assert.False(response.IsSuccessStatusCode);
        Assert.True(!Directory.Exists(Objects) || Directory.GetFiles(Objects).Length == 0, string.Join(", ", Directory.GetFiles(Objects)));
        Assert.Empty(Directory.GetFiles(Incoming));
        Assert.Equal(0, (await admin.GetFromJsonAsync<ModelDto>(ApiRoutes.Model("unlucky"), ct))!.VersionCount);
    }

    [Fact]
    public async Task SecondInstance_StartingOnTheSameDataDirectory_KeepsAnUploadInFlightAndRemovesOnlyStaleFiles()
    {
        admin = await ApiClient.AdminAsync(portal, ct);
        Directory.CreateDirectory(Incoming);
        var inFlight = Path.Combine(Incoming, Guid.NewGuid().ToString("N") + ".tmp");
        var stale = Path.Combine(Incoming, Guid.NewGuid().ToString("N") + ".tmp");
        await File.WriteAllBytesAsync(inFlight, new byte[1024], ct);
        await File.WriteAllBytesAsync(stale, new byte[1024], ct);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));

        await using var second = new PortalFactory();
        second.Settings["Portal:DataDirectory"] = portal.DataDirectory;
        using var secondAdmin = await ApiClient.AdminAsync(second, ct);

        Assert.True(File.Exists(inFlight), "the first instance's upload in flight was deleted");
        Assert.False(File.Exists(stale), "a temporary file left by a crash two days ago was kept");
    }

    private static long PeakWorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    private async Task CreateModelAsync(string name)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest(name), ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostFileAsync(string modelId, byte[] bytes, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await admin.PostAsync(ApiRoutes.ModelVersions(modelId), form, ct);
    }

    public async ValueTask DisposeAsync()
    {
        admin?.Dispose();
        await portal.DisposeAsync();
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The database refuses the version row, as a full disk would.</summary>
    private sealed class FailVersionInserts : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<ModelVersion>().Any(e => e.State == EntityState.Added)
                ? throw new DbUpdateException("database or disk is full (simulated)")
                : base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}
