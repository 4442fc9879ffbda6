using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Config;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Secrets are write-only for operators, revealed to admins with an audit entry, encrypted at rest, and never in the
/// database in plain, the portal's log (debug level) or the audit log.
/// </summary>
public sealed class SecretsApiTests : IAsyncLifetime
{
    private const string Plain = "pl41n-Secret-Value-77";
    private const string Imported = "1mp0rted-Secret-88";
    private const string Password = "Operator-Passw0rd!";

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;
    private HttpClient operatorClient = default!;

    public async ValueTask InitializeAsync()
    {
        admin = await ApiClient.AdminAsync(portal, ct);
        await ApiClient.CreateUserAsync(admin, "ops@portal.local", Password, PortalRoles.Operator, ct);
        operatorClient = await ApiClient.SignedInAsync(portal, "ops@portal.local", Password, ct);
    }

    [Fact]
    public async Task Secret_SetByOperator_CannotBeReadBack_AdminRevealIsAudited_PlainValueStoredNowhere()
    {
        var device = (await ApiClient.EnrollDeviceAsync(admin, "vault-1", ct)).DeviceId;
        using (var set = await operatorClient.PutAsJsonAsync(ApiRoutes.Secret(ApiRoutes.DeviceSecrets(device), "API_TOKEN"), new SaveSecretRequest(Plain), ct))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.DoesNotContain(Plain, await set.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using (var import = await operatorClient.PostAsJsonAsync(ApiRoutes.FleetSecrets + "/import", new ImportSecretsRequest($"# plant secrets\nDB_PASSWORD={Imported}\n\nMQTT_KEY=a=b"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
            Assert.Equal(["DB_PASSWORD", "MQTT_KEY"], (await import.Content.ReadFromJsonAsync<ImportSecretsResult>(ct))!.Names);
        }

        var listed = await operatorClient.GetStringAsync(ApiRoutes.DeviceSecrets(device), ct);
        Assert.Contains("API_TOKEN", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(Plain, listed, StringComparison.Ordinal);
        using (var refused = await operatorClient.PostAsync(ApiRoutes.Secret(ApiRoutes.DeviceSecrets(device), "API_TOKEN") + "/reveal", null, ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var revealed = await admin.PostAsync(ApiRoutes.Secret(ApiRoutes.DeviceSecrets(device), "API_TOKEN") + "/reveal", null, ct);
        Assert.Equal(Plain, (await revealed.Content.ReadFromJsonAsync<RevealedSecret>(ct))!.Value);
        using var revealedImport = await admin.PostAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "MQTT_KEY") + "/reveal", null, ct);
        Assert.Equal("a=b", (await revealedImport.Content.ReadFromJsonAsync<RevealedSecret>(ct))!.Value);

        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?pageSize=200", ct))!.Items;
        Assert.Contains(audit, e => e.Action == AuditActions.SecretRevealed && e.Target == AuditTargets.Device(device) && e.ActorName == PortalFactory.AdminEmail);
        Assert.Contains(audit, e => e.Action == AuditActions.SecretSet && e.ActorName == "ops@portal.local" && e.Detail == "Device secret API_TOKEN (Value)");
        Assert.Contains(audit, e => e.Action == AuditActions.SecretsImported && e.Detail == "Fleet secrets DB_PASSWORD, MQTT_KEY");
        foreach (var secret in new[] { Plain, Imported })
        {
            Assert.DoesNotContain(audit, e => (e.Detail ?? "").Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(portal.LogLines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(await StoredTextAsync(), text => text.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RegistryCredential_KeepsServerAndUserReadable_DeleteRemovesIt()
    {
        var route = ApiRoutes.Secret(ApiRoutes.FleetSecrets, "REGISTRY");
        using (var set = await operatorClient.PutAsJsonAsync(route, new SaveSecretRequest(Plain, SecretKind.RegistryCredential, "127.0.0.1:5000", "pusher"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var listed = (await operatorClient.GetFromJsonAsync<List<SecretDto>>(ApiRoutes.FleetSecrets, ct))!;
        Assert.Equal(("127.0.0.1:5000", "pusher", SecretKind.RegistryCredential), (listed.Single().Server, listed.Single().Username, listed.Single().Kind));

        using var delete = await operatorClient.DeleteAsync(route, ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty((await operatorClient.GetFromJsonAsync<List<SecretDto>>(ApiRoutes.FleetSecrets, ct))!);
    }

    [Fact]
    public async Task Secrets_BadInput_IsRefusedNamingTheLineNotTheValue()
    {
        using var noServer = await operatorClient.PutAsJsonAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "REG"), new SaveSecretRequest(Plain, SecretKind.RegistryCredential, "https://x/y", "u"), ct);
        using var empty = await operatorClient.PutAsJsonAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "EMPTY"), new SaveSecretRequest(""), ct);
        using var badLine = await operatorClient.PostAsJsonAsync(ApiRoutes.FleetSecrets + "/import", new ImportSecretsRequest($"GOOD=1\n{Plain}"), ct);
        using var noDevice = await operatorClient.GetAsync(ApiRoutes.DeviceSecrets("no-such-device"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, noServer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLine.StatusCode);
        var reason = await badLine.Content.ReadAsStringAsync(ct);
        Assert.Contains("Line 2 is not KEY=value", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Plain, reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noDevice.StatusCode);
        Assert.Empty((await operatorClient.GetFromJsonAsync<List<SecretDto>>(ApiRoutes.FleetSecrets, ct))!);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        operatorClient.Dispose();
        await portal.DisposeAsync();
    }

    /// <summary>What the database holds (SQLite: every file in the data directory, WAL included; PostgreSQL: the rows).</summary>
    private async Task<List<string>> StoredTextAsync()
    {
        var texts = new List<string>();
        if (!portal.OnPostgres)
        {
            foreach (var file in Directory.EnumerateFiles(portal.DataDirectory, "*", SearchOption.AllDirectories))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
                texts.Add(await reader.ReadToEndAsync(ct));
            }
        }

        await using var scope = portal.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        texts.AddRange(await db.ConfigSecrets.AsNoTracking().Select(s => s.ProtectedValue).ToListAsync(ct));
        texts.AddRange(await db.AuditLog.AsNoTracking().Select(a => a.Detail ?? "").ToListAsync(ct));
        return texts;
    }
}
