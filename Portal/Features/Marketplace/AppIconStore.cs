using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Configuration;

namespace Portal.Features.Marketplace;

/// <summary>
/// Uploaded app icons under <c>{data}/icons/</c>, one file per app (named by a hash of the app's id, so no id can
/// reach outside the folder). A new icon is written to a temporary file and renamed over the old one: a reader sees
/// the old icon or the new one, never half of either.
/// </summary>
public sealed class AppIconStore(IOptions<PortalOptions> options)
{
    /// <summary>Icons are shown at 48 to 96 px: 256 KiB is plenty and keeps the catalog page light.</summary>
    public const int MaxBytes = 256 * 1024;

    private string Root => Path.Combine(options.Value.ResolvedDataDirectory, "icons");

    private string PathOf(string appId) => Path.Combine(Root, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appId)))[..40]);

    /// <summary>Reads at most <see cref="MaxBytes"/> + 1 bytes of an upload, so an oversized one is known without reading it all.</summary>
    public static async Task<byte[]> ReadLimitedAsync(Stream source, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length <= MaxBytes && (read = await source.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Stores the icon and returns a short hash of its bytes (the version in the icon's URL, so browsers reload a changed one).</summary>
    public async Task<string> SaveAsync(string appId, byte[] bytes, CancellationToken ct)
    {
        Directory.CreateDirectory(Root);
        var target = PathOf(appId);
        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, bytes, ct);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
    }

    public async Task<(byte[] Bytes, string ContentType)?> LoadAsync(string appId, CancellationToken ct)
    {
        var path = PathOf(appId);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(path, ct);
            return ImageSniffer.ContentType(bytes) is { } type ? (bytes, type) : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public void Remove(string appId)
    {
        var path = PathOf(appId);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
