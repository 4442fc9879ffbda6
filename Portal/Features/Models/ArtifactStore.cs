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
    public async Task<StagedFile> StageAsync(Stream source, Action<long>? progress, CancellationToken ct)
    {
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
                    if (size > MaxUploadBytes)
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

    /// <summary>Moves a validated temporary file into place under its hash; if that content is already stored, keeps the stored one.</summary>
    public void Commit(string temporaryPath, string sha256)
    {
        Directory.CreateDirectory(Objects);
        var target = PathOf(sha256);
        if (File.Exists(target))
        {
            File.Delete(temporaryPath);
            return;
        }

        try
        {
            File.Move(temporaryPath, target);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload of the same bytes committed first.
            File.Delete(temporaryPath);
        }
    }

    /// <summary>At start-up nothing is being uploaded: whatever a crash left half-written goes.</summary>
    public void ClearIncoming()
    {
        if (Directory.Exists(Incoming))
        {
            foreach (var file in Directory.EnumerateFiles(Incoming, "*.tmp"))
            {
                Discard(file);
            }
        }
    }

    public static void Discard(string? path)
    {
        if (!string.IsNullOrEmpty(path) && File.Exists(path))
        {
            File.Delete(path);
        }
    }
}

/// <summary>An upload on disk, hashed, not yet validated or committed.</summary>
public sealed record StagedFile(string Path, string Sha256, long Size, bool TooLarge);
