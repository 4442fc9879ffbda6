using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Shared.AgentReleases;

namespace Portal.Security;

/// <summary>
/// The portal's key pair for signing agent releases (ECDSA P-256), kept in <c>{data}/release-signing/key.pem</c>
/// (mode 0600), made on first use. Agents pin the public key at enrollment and install only releases whose manifest it
/// verifies. Several instances share the data directory, and so the key: the file is created with CreateNew, so two
/// instances starting at once cannot both make one. Losing the file means agents refuse every new release until
/// they are enrolled again: back it up with the data directory.
/// </summary>
public sealed class ReleaseSigningKey(IOptions<PortalOptions> options) : IDisposable
{
    private readonly Lazy<ECDsa> key = new(() => LoadOrCreate(Path.Combine(options.Value.ResolvedDataDirectory, "release-signing", "key.pem")));

    /// <summary>The public key agents pin: SubjectPublicKeyInfo, base64.</summary>
    public string PublicKey => Convert.ToBase64String(key.Value.ExportSubjectPublicKeyInfo());

    public string Sign(AgentReleaseManifest manifest) => manifest.Sign(key.Value);

    public void Dispose()
    {
        if (key.IsValueCreated)
        {
            key.Value.Dispose();
        }
    }

    private static ECDsa LoadOrCreate(string path)
    {
        var ecdsa = ECDsa.Create();
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = fresh.ExportPkcs8PrivateKeyPem();
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var mode = OperatingSystem.IsWindows() ? null : new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var file = mode is null ? new FileStream(temporary, FileMode.CreateNew) : new FileStream(temporary, mode))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(pem);
                writer.Flush();
                file.Flush(flushToDisk: true);
            }

            try
            {
                // The move fails if another instance made the key first: then that one is the key.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        ecdsa.ImportFromPem(File.ReadAllText(path));
        return ecdsa;
    }
}
