using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Portal.Configuration;

namespace Portal.Features.Models;

/// <summary>
/// Model files under <c>{data}/artifacts/sha256/</c>, named by their SHA-256: two identical uploads share one file.
/// An upload is streamed to a temporary file while hashed (never held in memory) and only moved into place once it
/// passed validation; a rejected one leaves nothing behind.
/// </summary>
public sealed class ArtifactStore(IOptions<PortalOptions> options)
{
    public string Root { get; } = Path.Combine(options.Value.ResolvedDataDirectory, "artifacts");

    private string Objects => Path.Combine(Root, "sha256");

    private string Incoming => Path.Combine(Root, "incoming");

    public long MaxUploadBytes => options.Value.Models.MaxUploadMb * 1024L * 1024;

    public string PathOf(string sha256) => Path.Combine(Objects, sha256.ToLowerInvariant());

    public bool Exists(string sha256) => IsHash(sha256) && File.Exists(PathOf(sha256));

    public static bool IsHash(string? text) => text is { Length: 64 } && text.All(Uri.IsHexDigit);

    /// <summary>A new temporary file's path in the store's own folder (same disk, so committing is a rename).</summary>
    public string NewTemporaryPath()
    {
        Directory.CreateDirectory(Incoming);
        return Path.Combine(Incoming, Guid.NewGuid().ToString("N") + ".tmp");
    }

    /// <summary>
    /// Copies <paramref name="source"/> into a temporary file while hashing it. Stops as soon as it passes the size limit
    /// (the file is deleted and <c>TooLarge</c> is true).
    /// </summary>
    public async Task<StagedFile> StageAsync(Stream source, Action<long>? progress, CancellationToken ct, long? maxBytes = null)
    {
        var limit = maxBytes ?? MaxUploadBytes;
        var path = NewTemporaryPath();
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > limit)
                    {
                        file.Close();
                        File.Delete(path);
                        return new StagedFile("", "", size, TooLarge: true);
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    progress?.Invoke(size);
                }
            }

            return new StagedFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), size, TooLarge: false);
        }
        catch
        {
            Discard(path);
            throw;
        }
    }

    public static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }

    /// <summary>
    /// Moves a validated temporary file into place under its hash; if that content is already stored, keeps the stored one.
    /// True when this call put the file there (so a caller that fails afterwards knows the file is its own to remove).
    /// </summary>
    public bool Commit(string temporaryPath, string sha256)
    {
        Directory.CreateDirectory(Objects);
        var target = PathOf(sha256);
        if (File.Exists(target))
        {
            File.Delete(temporaryPath);
            return false;
        }

        try
        {
            File.Move(temporaryPath, target);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload of the same bytes committed first.
            File.Delete(temporaryPath);
            return false;
        }
    }

    /// <summary>Removes a stored file this upload committed and no version row ended up referencing.</summary>
    public void Remove(string sha256)
    {
        if (IsHash(sha256))
        {
            Discard(PathOf(sha256));
        }
    }

    /// <summary>
    /// Removes what a crash left half-written: temporary files nobody wrote to for <see cref="StaleAfter"/>. Only stale
    /// ones, because another portal instance on the same data directory may be streaming an upload right now (an upload
    /// in flight writes its file continuously; validation and optimization take seconds).
    /// </summary>
    public void ClearStaleIncoming(DateTimeOffset now)
    {
        if (!Directory.Exists(Incoming))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(Incoming, "*.tmp"))
        {
            if (now.UtcDateTime - File.GetLastWriteTimeUtc(file) > StaleAfter)
            {
                Discard(file);
            }
        }
    }

    /// <summary>A temporary file untouched this long belongs to no upload in flight.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    /// <summary>ENOSPC (28) on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    public static bool IsDiskFull(IOException ex) => ex.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027);

    public static void Discard(string? path)
    {
        if (!string.IsNullOrEmpty(path) && File.Exists(path))
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Gone meanwhile, or the disk refuses: a stale temporary file is removed at a later start.
            }
        }
    }
}

/// <summary>An upload on disk, hashed, not yet validated or committed.</summary>
public sealed record StagedFile(string Path, string Sha256, long Size, bool TooLarge);
