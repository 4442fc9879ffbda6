using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Whatever fails behind /api/v1, the caller gets a problem document (never the HTML error page).</summary>
public sealed class ApiErrorTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly SaveFailureInjector failures = new();
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host = default!;

    public ValueTask InitializeAsync()
    {
        host = portal.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.ConfigureDbContext<PortalDbContext>((_, o) => o.AddInterceptors(failures))));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        await portal.DisposeAsync();
    }

    [Fact]
    public async Task UnhandledException_OnApi_IsProblemJsonWithTraceId()
    {
        using var admin = await ApiClient.SignedInAsync(host.CreateClient(), PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);
        failures.FailNextGroupSave(new InvalidOperationException("secret internals: Password=hunter2"));

        using var response = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("boom", null, null, null), ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(body);
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("traceId").GetString()));
        Assert.Contains("administrator", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiskFull_Enospc_Is507Problem()
    {
        using var admin = await ApiClient.SignedInAsync(host.CreateClient(), PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);
        failures.FailNextGroupSave(new IOException("No space left on device", 28));

        using var response = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("full-disk", null, null, null), ct);

        await AssertProblemAsync(response, HttpStatusCode.InsufficientStorage, "disk is full");
        Assert.DoesNotContain((await admin.GetFromJsonAsync<List<GroupDto>>(ApiRoutes.Groups, ct))!, g => g.Name == "full-disk");
    }

    [Fact]
    public async Task DiskFull_SqliteFull_Is507Problem()
    {
        using var admin = await ApiClient.SignedInAsync(host.CreateClient(), PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);
        failures.FailNextGroupSave(new DbUpdateException("save failed", new SqliteException("SQLite Error 13: 'database or disk is full'.", 13)));

        using var response = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("full-db", null, null, null), ct);

        await AssertProblemAsync(response, HttpStatusCode.InsufficientStorage, "disk is full");
    }

    [Fact]
    public async Task UniqueViolation_WhenTwoRequestsRace_Is409NotA500()
    {
        using var admin = await ApiClient.SignedInAsync(host.CreateClient(), PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);
        // What the losing request of a race sees: the name check passed, the insert hits the unique index.
        failures.FailNextGroupSave(new DbUpdateException("save failed", new SqliteException("UNIQUE constraint failed: DeviceGroups.Name", 19, 2067)));

        using var response = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("raced", null, null, null), ct);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "already exists");
    }

    [Fact]
    public async Task BadJson_OnApi_Is400ProblemWithDetail()
    {
        using var admin = await ApiClient.SignedInAsync(host.CreateClient(), PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);

        using var response = await admin.PostAsync(ApiRoutes.Groups, new StringContent("""{"name": 5, "staticMembers": "x"}""", System.Text.Encoding.UTF8, "application/json"), ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "(at name): the value has the wrong type: text in double quotes is expected here, not a number");
        Assert.DoesNotContain("System.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_With100000StaticMembers_GetsAClearProblem()
    {
        using var admin = await ApiClient.SignedInAsync(host.CreateClient(), PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);
        var ids = Enumerable.Range(0, 100_000).Select(i => $"missing-{i:D6}").ToList();

        using var response = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("huge", null, null, ids), ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "There is no device with the id missing-000000");
        Assert.Contains("and 99995 more", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_WithMoreStaticMembersThanSqliteVariables_IsSavedAndListed()
    {
        const int count = 33_000;
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct))
        {
            db.Devices.AddRange(Enumerable.Range(0, count).Select(i => new Device { Id = $"dev-{i:D6}", Name = $"press-{i:D6}", SecretHash = "unused" }));
            await db.SaveChangesAsync(ct);
        }

        using var admin = await ApiClient.SignedInAsync(host.CreateClient(), PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);
        var ids = Enumerable.Range(0, count).Select(i => $"dev-{i:D6}").ToList();

        using var response = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("all presses", null, null, ids), ct);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(count, (await response.Content.ReadFromJsonAsync<GroupDto>(ct))!.Members.Count);
    }

    private async Task<ProblemDetails> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ProblemDetails>(body, JsonSerializerOptions.Web)!;
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
        return problem;
    }
}
