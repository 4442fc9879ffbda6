namespace Portal.Features.Marketplace;

/// <summary>
/// Which raster image an upload is, judged by its first bytes and never by its name or the Content-Type a client sent.
/// SVG is not among them on purpose: it is a document that can carry scripts.
/// </summary>
public static class ImageSniffer
{
    public const string Accepted = "PNG, JPEG, WebP or GIF";

    /// <summary>The MIME type of a PNG, JPEG, WebP or GIF image, or null for anything else.</summary>
    public static string? ContentType(ReadOnlySpan<byte> head) => head switch
    {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        _ => null,
    };
}
