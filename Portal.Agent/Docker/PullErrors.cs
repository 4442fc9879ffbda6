namespace Portal.Agent.Docker;

/// <summary>
/// Pure: a sentence a person can act on for a failed image pull, from the engine's raw error (kept after it, since the
/// workload status has no separate detail field). The engine answers in Go's words ("dial tcp: lookup ghcr.io ... no such
/// host", "manifest unknown", "unauthorized: authentication required"); these are matched loosely and the raw text stays.
/// </summary>
public static class PullErrors
{
    private static readonly string[] Unreachable =
    [
        "no such host", "dial tcp", "i/o timeout", "connection refused", "network is unreachable", "tls handshake timeout",
        "client.timeout exceeded", "connection reset", "no route to host", "the engine reported nothing",
    ];

    private static readonly string[] Denied = ["unauthorized", "authentication required", "denied: ", "access denied", "forbidden"];

    private static readonly string[] Missing = ["manifest unknown", "not found", "does not exist", "name unknown"];

    public static string Describe(string image, string engineMessage)
    {
        var registry = Registry(image);
        var raw = engineMessage.Trim();
        var sentence = Matches(raw, Unreachable)
            ? $"The registry {registry} could not be reached from the device: check its network or use a private registry."
            : Matches(raw, Missing)
                ? $"The image {image} was not found in the registry {registry}: check its name and tag."
                : Matches(raw, Denied)
                    ? $"The registry {registry} denied access to {image}: check the device's registry credentials (docker login) or that the image is public."
                    : $"The image {image} could not be pulled from the registry {registry}.";
        return $"{sentence} Docker said: {raw}";
    }

    /// <summary><c>ghcr.io/org/app:1</c> → <c>ghcr.io</c>; <c>nginx</c> or <c>library/nginx</c> → <c>docker.io</c>, as Docker reads references.</summary>
    public static string Registry(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return "docker.io";
        }

        var first = image[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : "docker.io";
    }

    private static bool Matches(string raw, string[] needles) => needles.Any(n => raw.Contains(n, StringComparison.OrdinalIgnoreCase));
}
