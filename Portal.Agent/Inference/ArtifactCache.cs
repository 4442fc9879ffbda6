using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;

namespace Portal.Agent.Inference;

/// <summary>
/// Model files (and agent releases) on the device, by SHA-256, under <c>{data}/models</c> (<c>{data}/releases</c>). A download resumes a partial file with an HTTP
/// Range request, is verified against its hash, and only then renamed into place (atomically), so nothing unverified
/// is ever loaded. A mismatch deletes the partial file: the next try starts from scratch. A file already here is hashed
/// again before it is handed out; one that changed since is deleted and downloaded again.
/// </summary>
public sealed partial class ArtifactCache(
    IOptions<AgentOptions> options, IHttpClientFactory httpFactory, ILogger<ArtifactCache> logger, string folder = "models", string extension = ".onnx", string noun = "model")
{
    private readonly Dictionary<string, int> pins = new(StringComparer.Ordinal);

    public string Directory { get; } = Path.Combine(options.Value.DataDirectory, folder);

    public string PathOf(string sha256) => Path.Combine(Directory, sha256 + extension);

    /// <summary>The verified file's path; downloads it first when it is not here yet. Progress goes 0–100.</summary>
    public async Task<string> FetchAsync(string sha256, long size, Uri url, string deviceSecret, Action<int> downloading, Action verifying, CancellationToken ct)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ModelArtifactException($"'{sha256}' is not a SHA-256 hash.");
        }

        var final = PathOf(sha256);
        if (File.Exists(final))
        {
            // Verified when it arrived, but files change (a bad disk, a person, another program): check again before
            // every load, and never load bytes that are not the ones the portal named.
            verifying();
            var held = await HashAsync(final, ct);
            if (string.Equals(held, sha256, StringComparison.OrdinalIgnoreCase))
            {
                return final;
            }

            File.Delete(final);
            LogCachedFileChanged(logger, sha256, held);
        }

        Storage.DurableFile.CreateDirectory(Directory);
        var partial = Path.Combine(Directory, sha256 + ".partial");
        var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (have > size)
        {
            File.Delete(partial);
            have = 0;
        }

        var free = new DriveInfo(Path.GetFullPath(Directory)).AvailableFreeSpace;
        var needed = size - have + options.Value.MinFreeDiskMb * 1024L * 1024;
        if (free < needed)
        {
            throw new ModelArtifactException($"Not enough disk: the {noun} needs {Mb(size - have)} MB more and {options.Value.MinFreeDiskMb} MB must stay free, but only {Mb(free)} MB are free.");
        }

        if (have < size)
        {
            await DownloadAsync(url, deviceSecret, partial, have, size, downloading, ct);
        }

        verifying();
        var actual = await HashAsync(partial, ct);
        if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partial);
            LogHashMismatch(logger, sha256, actual);
            throw new ModelArtifactException($"Hash mismatch: the downloaded file's SHA-256 is {actual[..12]}…, not {sha256[..12]}…; it was deleted and will be downloaded again.");
        }

        File.Move(partial, final, overwrite: true);
        return final;
    }

    private async Task DownloadAsync(Uri url, string secret, string partial, long have, long size, Action<int> progress, CancellationToken ct)
    {
        using var http = httpFactory.CreateClient();
        http.Timeout = Timeout.InfiniteTimeSpan;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
            LogResuming(logger, url, have);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new ModelArtifactException($"The portal could not be reached for the {noun} file: {ex.Message}", ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // What we hold is already complete (or garbage): let verification decide.
                return;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ModelArtifactException($"The portal refused the {noun} file: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var append = response.StatusCode == HttpStatusCode.PartialContent;
            var done = append ? have : 0;
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await using var file = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            var buffer = new byte[81920];
            var lastPercent = -1;
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                if (done + read > size)
                {
                    throw new ModelArtifactException($"The portal sent more than the {size} bytes the {noun} should have.");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                done += read;
                var percent = size == 0 ? 100 : (int)(done * 100 / size);
                if (percent != lastPercent)
                {
                    progress(percent);
                    lastPercent = percent;
                }
            }

            // On disk before it is verified and renamed into place: a power cut must not leave a renamed empty file.
            file.Flush(flushToDisk: true);
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }

    /// <summary>Keeps a file from being cleaned up while something (a profile run) uses it.</summary>
    public IDisposable Pin(string sha256)
    {
        lock (pins)
        {
            pins[sha256] = pins.GetValueOrDefault(sha256) + 1;
        }

        return new Unpin(this, sha256);
    }

    /// <summary>Deletes model files (and partial downloads) that nothing wants any more.</summary>
    public void Prune(IReadOnlySet<string> wanted)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            var sha = Path.GetFileName(file).Split('.')[0];
            bool pinned;
            lock (pins)
            {
                pinned = pins.ContainsKey(sha);
            }

            if (!wanted.Contains(sha) && !pinned && !IsRecentPartial(file))
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // In use; next time.
                }
            }
        }
    }

    /// <summary>
    /// An interrupted download is kept for a day even while no model names it: the desired state that wants it may
    /// arrive after the next reconcile (a restart, a redeploy), and a large model over a slow link should resume, not
    /// start again. Older partial files are removed like any other unwanted file.
    /// </summary>
    private static bool IsRecentPartial(string file) =>
        file.EndsWith(".partial", StringComparison.Ordinal) && File.GetLastWriteTimeUtc(file) > DateTime.UtcNow - PartialRetention;

    private static readonly TimeSpan PartialRetention = TimeSpan.FromDays(1);

    private static long Mb(long bytes) => (bytes + 1024 * 1024 - 1) / (1024 * 1024);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the download of {Url} at byte {Offset}")]
    private static partial void LogResuming(ILogger logger, Uri url, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model file {Expected} failed verification (got {Actual}); deleted, will download again")]
    private static partial void LogHashMismatch(ILogger logger, string expected, string actual);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cached model file {Expected} no longer matches its hash (it is now {Actual}); deleted, downloading it again")]
    private static partial void LogCachedFileChanged(ILogger logger, string expected, string actual);

    private sealed class Unpin(ArtifactCache cache, string sha) : IDisposable
    {
        public void Dispose()
        {
            lock (cache.pins)
            {
                if (--cache.pins[sha] == 0)
                {
                    cache.pins.Remove(sha);
                }
            }
        }
    }
}
