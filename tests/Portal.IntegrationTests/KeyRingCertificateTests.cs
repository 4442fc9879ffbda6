using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Shared.Config;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Portal:Security:KeyRingCertificate encrypts the Data Protection key ring with a certificate: the key files hold no
/// plain key material, secrets still read back after a restart, and a wrong password stops the start with a message
/// naming the setting instead of falling back to unencrypted keys.
/// </summary>
public sealed class KeyRingCertificateTests : IDisposable
{
    private const string Plain = "k3y-R1ng-Secret-Value-42";
    private const string PfxPassword = "pfx-Passw0rd!";

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string pfx = Path.Combine(Path.GetTempPath(), "portal-keyring-tests", Guid.NewGuid().ToString("N") + ".pfx");

    public KeyRingCertificateTests()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pfx)!);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=portal key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, PfxPassword));
    }

    [Fact]
    public async Task WithCertificate_KeyFilesAreEncrypted_SecretsSurviveRestart()
    {
        var first = Protected(new PortalFactory(), PfxPassword);
        var data = first.DataDirectory;
        using (var admin = await ApiClient.AdminAsync(first, ct))
        using (var set = await admin.PutAsJsonAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "PLANT_KEY"), new SaveSecretRequest(Plain), ct))
        {
            set.EnsureSuccessStatusCode();
        }

        await first.StopKeepingDataAsync();
        var keys = Directory.GetFiles(Path.Combine(data, "keys"), "*.xml");
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var xml = await File.ReadAllTextAsync(key, ct);
            // Unprotected keys hold <masterKey><value>base64</value>; protected ones only an <EncryptedData> block.
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }

        await using var restarted = Protected(new PortalFactory(), PfxPassword);
        restarted.Settings["Portal:DataDirectory"] = data;
        using var again = await ApiClient.AdminAsync(restarted, ct);
        using var revealed = await again.PostAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "PLANT_KEY") + "/reveal", null, ct);
        revealed.EnsureSuccessStatusCode();
        Assert.Equal(Plain, (await revealed.Content.ReadFromJsonAsync<RevealedSecret>(ct))!.Value);
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task WrongPassword_StartFails_NamingTheSetting()
    {
        await using var portal = Protected(new PortalFactory(), "not-the-password");
        var failure = Assert.ThrowsAny<Exception>(() => portal.Services);
        var messages = string.Join(" | ", Flatten(failure).Select(e => e.Message));
        Assert.Contains("Portal:Security:KeyRingCertificate", messages, StringComparison.Ordinal);
        Assert.Contains("KeyRingCertificatePassword", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_StartFails_NamingThePath()
    {
        await using var portal = new PortalFactory();
        portal.Settings["Portal:Security:KeyRingCertificate"] = pfx + ".missing";
        var failure = Assert.ThrowsAny<Exception>(() => portal.Services);
        Assert.Contains(Flatten(failure), e => e.Message.Contains(pfx + ".missing", StringComparison.Ordinal) && e.Message.Contains("does not exist", StringComparison.Ordinal));
    }

    public void Dispose() => File.Delete(pfx);

    private PortalFactory Protected(PortalFactory portal, string password)
    {
        portal.Settings["Portal:Security:KeyRingCertificate"] = pfx;
        portal.Settings["Portal:Security:KeyRingCertificatePassword"] = password;
        return portal;
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
