using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Configuration;

namespace Portal.Hosting;

/// <summary>
/// Loads <c>Portal:Security:KeyRingCertificate</c>. A portal told to protect its key ring must not start without
/// doing so: a missing file, a wrong password or a certificate without a private key stop the start with a message
/// naming the setting, never a silent fall back to unencrypted keys.
/// </summary>
public static class KeyRingCertificate
{
    public static X509Certificate2? Load(SecurityOptions security)
    {
        var path = security.KeyRingCertificate;
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Portal:Security:KeyRingCertificate names {path}, which does not exist. Give the path of a .pfx file with its private key, or leave the setting empty.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, security.KeyRingCertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"Portal:Security:KeyRingCertificate {path} could not be opened ({ex.Message}). Check the file and Portal:Security:KeyRingCertificatePassword.", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"Portal:Security:KeyRingCertificate {path} has no private key: the portal could encrypt its keys but never read them back. Export the certificate with its private key.");
        }

        return certificate;
    }
}
