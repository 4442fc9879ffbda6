using System.Security.Cryptography;
using Portal.Agent.Updates;

namespace Portal.Agent.Tests.Updates;

/// <summary>
/// What an agent checks before it installs a release: the portal's signature over version, architecture, size and
/// SHA-256, under the key it pinned; the downloaded file's size and hash. Each way a release can be wrong is refused, naming the check.
/// </summary>
public sealed class ReleaseVerifierTests : IDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly ReleaseFixture release = new();
    private readonly string file = Path.Combine(Path.GetTempPath(), "release-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] build = ReleaseFixture.Build();

    public ReleaseVerifierTests() => File.WriteAllBytes(file, build);

    private Task<string?> CheckAsync(Portal.Shared.Workloads.AgentReleaseWorkloadSpec spec, string? key = null) =>
        ReleaseVerifier.CheckAsync(spec, spec.Files[0], ReleaseFixture.Architecture, file, key ?? release.PublicKey, ct);

    [Fact]
    public async Task Check_SignedBuildAsDownloaded_Passes() => Assert.Null(await CheckAsync(release.Spec(build)));

    [Fact]
    public async Task Check_TamperedFile_FailsOnTheHash()
    {
        var tampered = build.ToArray();
        tampered[1234] ^= 0x01;
        await File.WriteAllBytesAsync(file, tampered, ct);

        Assert.Contains("SHA-256", await CheckAsync(release.Spec(build)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_TruncatedDownload_FailsOnTheSize()
    {
        await File.WriteAllBytesAsync(file, build[..(build.Length / 2)], ct);

        Assert.Contains("truncated", await CheckAsync(release.Spec(build)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SignedByAnotherKey_FailsOnTheSignature()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Contains("signature", await CheckAsync(release.Spec(build, signer: stranger)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WrongPinnedKeyOrNone_Fails()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Contains("signature", await CheckAsync(release.Spec(build), Convert.ToBase64String(other.ExportSubjectPublicKeyInfo())), StringComparison.Ordinal);
        Assert.Contains("signature", await CheckAsync(release.Spec(build), "not base64 at all"), StringComparison.Ordinal);
        Assert.Contains("no release key", await ReleaseVerifier.CheckAsync(release.Spec(build), release.Spec(build).Files[0], ReleaseFixture.Architecture, file, null, ct),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SignatureOfAnotherVersion_Fails()
    {
        // A genuine signature for 0.5.1, presented as 0.5.2 (a replayed old build under a new name).
        Assert.Contains("signature", await CheckAsync(release.Spec(build, version: "0.5.2", signedVersion: "0.5.1")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WrongArchitecture_IsRefusedBeforeAnythingElse()
    {
        var other = ReleaseFixture.Architecture == "linux-x64" ? "linux-arm64" : "linux-x64";
        var spec = release.Spec(build, architecture: other);

        Assert.Contains($"is for {other}", await ReleaseVerifier.CheckAsync(spec, spec.Files[0], ReleaseFixture.Architecture, file, release.PublicKey, ct), StringComparison.Ordinal);
        Assert.Contains("has no build for", ReleaseVerifier.FileFor(spec, ReleaseFixture.Architecture).Problem, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        release.Dispose();
        File.Delete(file);
    }
}
