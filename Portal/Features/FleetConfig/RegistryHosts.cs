using System.Text.RegularExpressions;

namespace Portal.Features.FleetConfig;

/// <summary>
/// Registry hosts as Docker reads them from an image reference: the first path part is a registry when it holds a '.'
/// or ':' or is <c>localhost</c>; otherwise the image is on Docker Hub (<c>docker.io</c>).
/// </summary>
public static partial class RegistryHosts
{
    public const string DockerHub = "docker.io";

    public static string? Problem(string? server) =>
        string.IsNullOrWhiteSpace(server) ? "Give the registry server, e.g. registry.example.com or 127.0.0.1:5000."
        : HostPattern().IsMatch(server.Trim()) ? null
        : "The registry server is a host name with an optional port (e.g. registry.example.com:5000), without https:// or a path.";

    /// <summary>The registry an image is pulled from, lower case.</summary>
    public static string Of(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return DockerHub;
        }

        var first = image[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? first.ToLowerInvariant()
            : DockerHub;
    }

    /// <summary>Whether a credential for <paramref name="server"/> applies to <paramref name="image"/> (Docker Hub's aliases included).</summary>
    public static bool Matches(string server, string image)
    {
        var host = Of(image);
        var normal = server.Trim().ToLowerInvariant();
        return normal == host || (host == DockerHub && normal is "index.docker.io" or "registry-1.docker.io");
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.\-]{0,252})(:[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();
}
