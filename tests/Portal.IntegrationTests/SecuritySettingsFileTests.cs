using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Users;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>The admins' two-factor choice, kept in <c>security-settings.json</c>, survives a file damaged by a power cut.</summary>
public sealed class SecuritySettingsFileTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_SettingsFileTruncated_AdminsStillNeedTwoFactor()
    {
        var first = new PortalFactory();
        var data = first.DataDirectory;
        await first.Services.GetRequiredService<TwoFactorPolicy>().SetRequiredForAdminsAsync(true, Portal.Features.Audit.AuditActor.System, ct);
        await first.StopKeepingDataAsync();
        var path = Path.Combine(data, "security-settings.json");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path, ct))[..5], ct);

        await using var restarted = new PortalFactory();
        restarted.Settings["Portal:DataDirectory"] = data;

        // The setting says no (the default); the admins' choice said yes, and must not be dropped silently.
        Assert.True(restarted.Services.GetRequiredService<TwoFactorPolicy>().RequiredForAdmins);
    }
}
