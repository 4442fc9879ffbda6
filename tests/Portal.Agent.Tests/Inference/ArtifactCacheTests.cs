using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Configuration;
using Portal.Agent.Inference;
using Portal.Testing;

namespace Portal.Agent.Tests.Inference;

/// <summary>
/// Model files already in the agent's cache are hashed again before they are handed out for loading: one that changed
/// since it was verified is deleted and downloaded again, or the fetch fails saying why; wrong bytes are never loaded.
/// The "portal" here is an in-memory handler: no traffic leaves the process.
/// </summary>
public sealed class ArtifactCacheTests : IDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string data = Path.Combine(Path.GetTempPath(), "artifact-cache-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] model = File.ReadAllBytes(SampleModels.Solar);
    private readonly string sha;

    public ArtifactCacheTests() => sha = Convert.ToHexStringLower(SHA256.HashData(model));

    private ArtifactCache Cache(byte[] served, List<string> log) => new(
        Microsoft.Extensions.Options.Options.Create(new AgentOptions { DataDirectory = data, MinFreeDiskMb = 0 }),
        new ServingHttp(served, log),
        NullLogger<ArtifactCache>.Instance);

    private Task<string> FetchAsync(ArtifactCache cache, List<string> log) =>
        cache.FetchAsync(sha, model.Length, new Uri("http://127.0.0.1:1/api/v1/agent/artifacts/" + sha), "secret", _ => { }, () => log.Add("verifying"), ct);

    [Fact]
    public async Task FetchAsync_CachedFileIntact_IsVerifiedAndNotDownloaded()
    {
        var log = new List<string>();
        var cache = Cache(model, log);
        Directory.CreateDirectory(cache.Directory);
        await File.WriteAllBytesAsync(cache.PathOf(sha), model, ct);

        var path = await FetchAsync(cache, log);

        Assert.Equal(cache.PathOf(sha), path);
        Assert.Equal(["verifying"], log);
    }

    [Fact]
    public void Prune_UnwantedFiles_KeepsOnlyWantedAndRecentPartialDownloads()
    {
        var cache = Cache(model, []);
        Directory.CreateDirectory(cache.Directory);
        var wanted = cache.PathOf(sha);
        var unwanted = cache.PathOf(new string('a', 64));
        var recentPartial = Path.Combine(cache.Directory, new string('b', 64) + ".partial");
        var stalePartial = Path.Combine(cache.Directory, new string('c', 64) + ".partial");
        foreach (var file in new[] { wanted, unwanted, recentPartial, stalePartial })
        {
            File.WriteAllBytes(file, [1, 2, 3]);
        }

        File.SetLastWriteTimeUtc(stalePartial, DateTime.UtcNow.AddDays(-2));

        cache.Prune(new HashSet<string>([sha], StringComparer.Ordinal));

        Assert.True(File.Exists(wanted));
        Assert.True(File.Exists(recentPartial), "an interrupted download waits a day for the desired state that wants it");
        Assert.False(File.Exists(unwanted));
        Assert.False(File.Exists(stalePartial));
    }

    [Fact]
    public async Task FetchAsync_CachedFileReplaced_IsDeletedDownloadedAgainAndVerified()
    {
        var log = new List<string>();
        var cache = Cache(model, log);
        Directory.CreateDirectory(cache.Directory);
        await File.WriteAllBytesAsync(cache.PathOf(sha), await File.ReadAllBytesAsync(SampleModels.Vibration, ct), ct);

        var path = await FetchAsync(cache, log);

        Assert.Equal(model, await File.ReadAllBytesAsync(path, ct));
        Assert.Equal(["verifying", "GET", "verifying"], log);
    }

    [Fact]
    public async Task FetchAsync_CachedFileReplacedAndTheDownloadIsWrongToo_FailsWithHashMismatchAndKeepsNothing()
    {
        var log = new List<string>();
        var wrong = model.ToArray();
        wrong[^10] ^= 0xFF;
        var cache = Cache(wrong, log);
        Directory.CreateDirectory(cache.Directory);
        await File.WriteAllBytesAsync(cache.PathOf(sha), wrong, ct);

        var error = await Assert.ThrowsAsync<ModelArtifactException>(() => FetchAsync(cache, log));

        Assert.StartsWith("Hash mismatch", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(cache.Directory));
    }

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private sealed class ServingHttp(byte[] body, List<string> log) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new Handler(body, log));

        private sealed class Handler(byte[] body, List<string> log) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                log.Add(request.Method.Method);
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });
            }
        }
    }
}
