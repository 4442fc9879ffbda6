using System.Security.Cryptography;
using Portal.Shared.AgentReleases;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Updates;

/// <summary>A signing key like the portal's, a "build" (any bytes) and the release spec the portal would send for it.</summary>
internal sealed class ReleaseFixture : IDisposable
{
    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string PublicKey => Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo());

    public static string Architecture => AgentReleaseManifest.CurrentArchitecture();

    public static byte[] Build(int size = 300_000) => [.. Enumerable.Range(0, size).Select(i => (byte)(i * 31 % 251))];

    public AgentReleaseWorkloadSpec Spec(byte[] build, string version = "9.9.9", string? architecture = null, ECDsa? signer = null, string? signedVersion = null)
    {
        var arch = architecture ?? Architecture;
        var sha = Convert.ToHexStringLower(SHA256.HashData(build));
        var signature = new AgentReleaseManifest(signedVersion ?? version, arch, build.Length, sha).Sign(signer ?? Key);
        return new AgentReleaseWorkloadSpec(AgentReleaseWorkloadSpec.WorkloadName, "dep-1", version, "spec-" + version + "-" + sha[..8],
            [new AgentReleaseFile(arch, sha, build.Length, "/api/v1/agent/artifacts/" + sha, signature)]);
    }

    public void Dispose() => Key.Dispose();
}
