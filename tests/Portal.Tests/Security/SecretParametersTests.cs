using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Security;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Tests.Security;

public sealed class SecretParametersTests
{
    private static readonly IReadOnlyList<AppParameter> Schema = [new("TOKEN", Secret: true), new("SITE")];
    private readonly SecretParameters secrets = new(new EphemeralDataProtectionProvider(), NullLogger<SecretParameters>.Instance);

    [Fact]
    public void Protect_SecretParameter_IsStoredEncryptedAndOthersPlain()
    {
        var stored = secrets.Protect(Schema, new Dictionary<string, string> { ["TOKEN"] = "hunter2", ["SITE"] = "madrid" });

        Assert.StartsWith("{enc:v1:", stored["TOKEN"], StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stored["TOKEN"], StringComparison.Ordinal);
        Assert.Equal("madrid", stored["SITE"]);
        Assert.Equal("hunter2", secrets.Reveal(stored["TOKEN"]));
    }

    [Fact]
    public void Reveal_TokenInsideCommandAndEnvironment_ReplacesOnlyTheToken()
    {
        var token = secrets.Protect(Schema, new Dictionary<string, string> { ["TOKEN"] = "hunter2" })["TOKEN"];
        var workload = new WorkloadSpec("w", "d", "img", ["sh", "-c", $"login {token}suffix && echo {token}"],
            new Dictionary<string, string> { ["TOKEN"] = token, ["URL"] = $"mqtt://u:{token}@broker" }, [], [], "no", "host", new ResourceLimits(), "h");

        var revealed = secrets.Reveal(DesiredState.Of(7, [workload])).Containers()[0];

        Assert.Equal("login hunter2suffix && echo hunter2", revealed.Command[2]);
        Assert.Equal("hunter2", revealed.Environment["TOKEN"]);
        Assert.Equal("mqtt://u:hunter2@broker", revealed.Environment["URL"]);
        Assert.Equal(workload.SpecHash, revealed.SpecHash);
    }

    [Fact]
    public void Reveal_PlainValueFromBeforeEncryption_PassesThrough()
    {
        Assert.Equal("old-plain-secret", secrets.Reveal("old-plain-secret"));
    }

    [Fact]
    public void Reveal_TokenOfAnotherKeyRing_StaysAsIsAndNeverThrows()
    {
        var foreign = new SecretParameters(new EphemeralDataProtectionProvider(), NullLogger<SecretParameters>.Instance)
            .Protect(Schema, new Dictionary<string, string> { ["TOKEN"] = "hunter2" })["TOKEN"];

        Assert.Equal(foreign, secrets.Reveal(foreign));
    }

    [Fact]
    public void SameValues_StoredEncryptedAndGivenPlain_ComparesThePlainValues()
    {
        var stored = secrets.Protect(Schema, new Dictionary<string, string> { ["TOKEN"] = "hunter2", ["SITE"] = "madrid" });

        Assert.True(secrets.SameValues(stored, new Dictionary<string, string> { ["TOKEN"] = "hunter2", ["SITE"] = "madrid" }));
        Assert.False(secrets.SameValues(stored, new Dictionary<string, string> { ["TOKEN"] = "hunter3", ["SITE"] = "madrid" }));
        Assert.False(secrets.SameValues(stored, new Dictionary<string, string> { ["TOKEN"] = "hunter2" }));
    }
}
