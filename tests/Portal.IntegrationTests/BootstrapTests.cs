using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Testing;

namespace Portal.IntegrationTests;

public sealed class BootstrapTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_WithAnotherBootstrapPassword_KeepsTheFirstAdminAsItWas()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = new PortalFactory())
            {
                first.Settings["Portal:DataDirectory"] = dataDirectory;
                _ = first.Server;
            }

            await using var second = new PortalFactory();
            second.Settings["Portal:DataDirectory"] = dataDirectory;
            second.Settings["Portal:Bootstrap:AdminPassword"] = "Another-Passw0rd!";
            await using var scope = second.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();

            var admins = await users.Users.ToListAsync(ct);
            var admin = Assert.Single(admins);
            Assert.True(await users.CheckPasswordAsync(admin, PortalFactory.AdminPassword));
            Assert.False(await users.CheckPasswordAsync(admin, "Another-Passw0rd!"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
