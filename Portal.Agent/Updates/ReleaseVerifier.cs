using System.Security.Cryptography;
using Portal.Shared.AgentReleases;
using Portal.Shared.Workloads;

namespace Portal.Agent.Updates;

/// <summary>
/// Pure checks an agent release must pass before it is installed: a build for this architecture, and a downloaded file
/// whose size and SHA-256 are those the portal signed for that version and architecture, under the key this agent
/// pinned at enrollment. Each failure is a sentence naming the check.
/// </summary>
public static class ReleaseVerifier
{
    /// <summary>The release's file for <paramref name="architecture"/>, or why there is none.</summary>
    public static (AgentReleaseFile? File, string? Problem) FileFor(AgentReleaseWorkloadSpec spec, string architecture) =>
        spec.Files.FirstOrDefault(f => f.Architecture == architecture) is { } file
            ? (file, null)
            : (null, $"Release {spec.Version} has no build for {architecture} (it has {(spec.Files.Count == 0 ? "none" : string.Join(", ", spec.Files.Select(f => f.Architecture)))}): upload one for this device's architecture.");

    /// <summary>Null when <paramref name="path"/> is the signed build of <paramref name="file"/>; otherwise what failed.</summary>
    public static async Task<string?> CheckAsync(AgentReleaseWorkloadSpec spec, AgentReleaseFile file, string architecture, string path, string? publicKey, CancellationToken ct)
    {
        if (file.Architecture != architecture)
        {
            return $"The build is for {file.Architecture}, and this device is {architecture}.";
        }

        if (string.IsNullOrEmpty(publicKey))
        {
            return "This agent has no release key pinned yet (it gets it from the portal when it connects), so it cannot verify the release.";
        }

        var manifest = new AgentReleaseManifest(spec.Version, file.Architecture, file.SizeBytes, file.Sha256);
        if (!manifest.Verify(publicKey, file.Signature))
        {
            return $"The signature of release {spec.Version} ({file.Architecture}) does not verify with the portal's release key this agent pinned at enrollment: it was not signed by this portal, or was altered.";
        }

        var size = new FileInfo(path).Length;
        if (size != file.SizeBytes)
        {
            return $"The downloaded build has {size} bytes, not the {file.SizeBytes} the signed manifest says (truncated or altered).";
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        return string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase) ? null
            : $"The downloaded build's SHA-256 is {actual[..12]}…, not the signed {file.Sha256[..Math.Min(12, file.Sha256.Length)]}… (altered on the way or on disk).";
    }
}
