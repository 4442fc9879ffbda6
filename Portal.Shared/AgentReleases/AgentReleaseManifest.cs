using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Shared.AgentReleases;

/// <summary>
/// What the portal signs for each file of an agent release, and what the agent checks before it installs one. The
/// signed bytes are a fixed text (no JSON canonicalisation to get wrong):
/// <c>edge-portal-agent-release/v1\n{version}\n{architecture}\n{size}\n{sha256}\n</c>, signed with ECDSA P-256 and SHA-256
/// (IEEE P1363 signature, base64). The public key travels as SubjectPublicKeyInfo, base64.
/// </summary>
public sealed record AgentReleaseManifest(string Version, string Architecture, long SizeBytes, string Sha256)
{
    public const string Format = "edge-portal-agent-release/v1";

    /// <summary>The architectures a release may carry a file for: .NET's runtime identifiers.</summary>
    public static readonly IReadOnlyList<string> Architectures = ["linux-x64", "linux-arm64"];

    public byte[] SignedBytes() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{Format}\n{Version}\n{Architecture}\n{SizeBytes}\n{Sha256.ToLowerInvariant()}\n"));

    /// <summary>The signature (base64) with the private key.</summary>
    public string Sign(ECDsa key) => Convert.ToBase64String(key.SignData(SignedBytes(), HashAlgorithmName.SHA256));

    /// <summary>Whether <paramref name="signature"/> (base64) is this manifest's, by the key <paramref name="publicKey"/> (SPKI, base64). Never throws.</summary>
    public bool Verify(string? publicKey, string? signature)
    {
        if (string.IsNullOrEmpty(publicKey) || string.IsNullOrEmpty(signature))
        {
            return false;
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
            return key.VerifyData(SignedBytes(), Convert.FromBase64String(signature), HashAlgorithmName.SHA256);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The runtime identifier of the machine this runs on: <c>linux-x64</c>, <c>linux-arm64</c>.</summary>
    public static string CurrentArchitecture() =>
        $"{(OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "win" : "osx")}-{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
}
