namespace Portal.Agent.Docker;

/// <summary>Splits an image reference into the <c>fromImage</c> and <c>tag</c> that the engine's pull endpoint takes.</summary>
public static class DockerImageReference
{
    /// <summary>
    /// <c>ghcr.io/org/app:1.2</c> → (<c>ghcr.io/org/app</c>, <c>1.2</c>); <c>repo@sha256:…</c> → (<c>repo</c>, <c>sha256:…</c>);
    /// no tag → <c>latest</c>. A colon before the last slash is a registry port, not a tag.
    /// </summary>
    public static (string Repository, string Tag) Parse(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        image = image.Trim();

        // The engine accepts a digest in the tag parameter; any tag written before the digest is ignored by Docker too.
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (StripTag(image[..at]), image[(at + 1)..]);
        }

        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > lastSlash && colon < image.Length - 1
            ? (image[..colon], image[(colon + 1)..])
            : (image.TrimEnd(':'), "latest");
    }

    private static string StripTag(string repository)
    {
        var lastSlash = repository.LastIndexOf('/');
        var colon = repository.LastIndexOf(':');
        return colon > lastSlash ? repository[..colon] : repository;
    }
}
