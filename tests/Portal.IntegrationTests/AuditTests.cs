using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Marketplace;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Shared.Users;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Every mutating action over the API leaves exactly one audit entry with the right actor, target, outcome and source
/// address, and no secret; the log can be filtered, paged and exported, only by admins; retention removes only old entries.
/// </summary>
public sealed class AuditTests : IAsyncLifetime
{
    private const string UserPassword = "First-Passw0rd!";
    private const string NewPassword = "Second-Passw0rd!";
    private const string WrongPassword = "Wrong-Passw0rd!";

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;
    private string adminId = "";

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Security:LockoutMaxFailedAttempts"] = "2";
        // A real port, so the portal sees a real remote address.
        portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
        adminId = (await admin.GetFromJsonAsync<List<UserDto>>(ApiRoutes.Users, ct))!.Single(u => u.Email == PortalFactory.AdminEmail).Id;
    }

    [Fact]
    public async Task EveryAction_OverTheApi_LeavesExactlyOneEntryWithTheRightActorAndNoSecret()
    {
        var secrets = new List<string> { PortalFactory.AdminPassword, UserPassword, NewPassword, WrongPassword };
        secrets.Add(admin.DefaultRequestHeaders.Authorization!.Parameter!);

        // Sign-ins: the admin's (in InitializeAsync), a wrong password, and a lockout.
        await ExpectOneAsync(AuditActions.SignIn, $"user:{adminId}", PortalFactory.AdminEmail, AuditActor.User);
        using (var wrong = await ApiClient.LoginAsync(portal.CreateClient(), "nobody@portal.local", WrongPassword, ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var failed = Assert.Single(await EntriesAsync($"actor=nobody@portal.local&action={AuditActions.SignIn}"));
        Assert.Equal((AuditActor.Anonymous, AuditOutcomes.Failure, null), (failed.ActorKind, failed.Outcome, failed.Target));
        AssertLoopback(failed);

        // Users.
        var user = await ApiClient.CreateUserAsync(admin, "ana@portal.local", UserPassword, PortalRoles.Viewer, ct);
        var userTarget = $"user:{user.Id}";
        await ExpectOneAsync(AuditActions.UserCreated, userTarget, PortalFactory.AdminEmail, AuditActor.User, targetName: "ana@portal.local");
        await SendAsync(HttpMethod.Put, ApiRoutes.User(user.Id), new UpdateUserRequest([PortalRoles.Operator], null));
        var role = await ExpectOneAsync(AuditActions.UserRoleChanged, userTarget, PortalFactory.AdminEmail, AuditActor.User);
        Assert.Equal("Viewer → Operator", role.Detail);
        await SendAsync(HttpMethod.Post, ApiRoutes.UserPassword(user.Id), new ResetPasswordRequest(NewPassword));
        await ExpectOneAsync(AuditActions.UserPasswordReset, userTarget, PortalFactory.AdminEmail, AuditActor.User);
        using (var signedIn = await ApiClient.LoginAsync(portal.CreateClient(), "ana@portal.local", NewPassword, ct))
        {
            signedIn.EnsureSuccessStatusCode();
        }

        await ExpectOneAsync(AuditActions.SignIn, userTarget, "ana@portal.local", AuditActor.User);
        for (var i = 0; i < 3; i++)
        {
            using var refused = await ApiClient.LoginAsync(portal.CreateClient(), "ana@portal.local", WrongPassword, ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var attempts = await EntriesAsync($"actor=ana@portal.local&action={AuditActions.SignIn}&outcome={AuditOutcomes.Failure}");
        var denied = await EntriesAsync($"actor=ana@portal.local&action={AuditActions.SignIn}&outcome={AuditOutcomes.Denied}");
        // Two wrong passwords (the second locks this address out of the account), then a refusal because of the lock.
        Assert.Equal(2, attempts.Count);
        Assert.Equal("wrong password; sign-ins from this address are now locked", attempts[0].Detail);
        Assert.Equal((AuditActor.Anonymous, "account locked for this address"), (Assert.Single(denied).ActorKind, denied[0].Detail));
        await SendAsync(HttpMethod.Put, ApiRoutes.User(user.Id), new UpdateUserRequest(null, true));
        await ExpectOneAsync(AuditActions.UserLocked, userTarget, PortalFactory.AdminEmail, AuditActor.User);
        await SendAsync(HttpMethod.Put, ApiRoutes.User(user.Id), new UpdateUserRequest(null, false));
        await ExpectOneAsync(AuditActions.UserUnlocked, userTarget, PortalFactory.AdminEmail, AuditActor.User);
        await SendAsync(HttpMethod.Delete, ApiRoutes.User(user.Id));
        await ExpectOneAsync(AuditActions.UserDeleted, userTarget, PortalFactory.AdminEmail, AuditActor.User);

        // Enrollment and devices: the device enrolls itself with the token.
        using var created = await admin.PostAsJsonAsync(ApiRoutes.EnrollmentTokens, new CreateEnrollmentTokenRequest("line-4", 1, 2), ct);
        var token = (await created.Content.ReadFromJsonAsync<CreatedEnrollmentToken>(ct))!;
        secrets.Add(token.Secret);
        await ExpectOneAsync(AuditActions.EnrollmentTokenCreated, $"enrollment-token:{token.Token.Id}", PortalFactory.AdminEmail, AuditActor.User, targetName: "line-4");
        using var anonymous = portal.CreateClient();
        using var enrolled = await anonymous.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest(token.Secret, "press-07"), ct);
        var device = (await enrolled.Content.ReadFromJsonAsync<EnrollResponse>(ct))!;
        secrets.Add(device.DeviceSecret);
        await ExpectOneAsync(AuditActions.DeviceEnrolled, $"device:{device.DeviceId}", "press-07", AuditActor.Device);
        using (var bogus = await anonymous.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest("enr_not-a-real-token", "intruder"), ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, bogus.StatusCode);
        }

        var refusedEnroll = Assert.Single(await EntriesAsync($"actor=intruder&action={AuditActions.DeviceEnrolled}"));
        Assert.Equal((AuditActor.Anonymous, AuditOutcomes.Denied), (refusedEnroll.ActorKind, refusedEnroll.Outcome));
        await SendAsync(HttpMethod.Put, ApiRoutes.DeviceLabels(device.DeviceId), new SetLabelsRequest(new Dictionary<string, string> { ["site"] = "madrid" }));
        await ExpectOneAsync(AuditActions.DeviceRelabelled, $"device:{device.DeviceId}", PortalFactory.AdminEmail, AuditActor.User, targetName: "press-07");
        await SendAsync(HttpMethod.Delete, ApiRoutes.EnrollmentToken(token.Token.Id));
        await ExpectOneAsync(AuditActions.EnrollmentTokenRevoked, $"enrollment-token:{token.Token.Id}", PortalFactory.AdminEmail, AuditActor.User);

        // Groups.
        using var group = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("Madrid", Selector: new Dictionary<string, string> { ["site"] = "madrid" }), ct);
        var groupId = (await group.Content.ReadFromJsonAsync<GroupDto>(ct))!.Id;
        await ExpectOneAsync(AuditActions.GroupCreated, $"group:{groupId}", PortalFactory.AdminEmail, AuditActor.User, targetName: "Madrid");
        await SendAsync(HttpMethod.Put, ApiRoutes.Group(groupId), new SaveGroupRequest("Madrid plant"));
        await ExpectOneAsync(AuditActions.GroupChanged, $"group:{groupId}", PortalFactory.AdminEmail, AuditActor.User, targetName: "Madrid plant");
        await SendAsync(HttpMethod.Delete, ApiRoutes.Group(groupId));
        await ExpectOneAsync(AuditActions.GroupDeleted, $"group:{groupId}", PortalFactory.AdminEmail, AuditActor.User, targetName: "Madrid plant");

        // Marketplace.
        var app = DeploymentApi.FlakyApp("flaky");
        await SendAsync(HttpMethod.Post, ApiRoutes.MarketplaceApps, app);
        await ExpectOneAsync(AuditActions.AppAdded, "app:flaky", PortalFactory.AdminEmail, AuditActor.User, targetName: "Flaky worker");
        await SendAsync(HttpMethod.Put, ApiRoutes.MarketplaceApp("flaky"), app with { Description = "Fails where told to." });
        await ExpectOneAsync(AuditActions.AppChanged, "app:flaky", PortalFactory.AdminEmail, AuditActor.User);
        await SendAsync(HttpMethod.Post, ApiRoutes.MarketplaceAppCertify("flaky"), new CertifyRequest(true));
        await ExpectOneAsync(AuditActions.AppCertified, "app:flaky", PortalFactory.AdminEmail, AuditActor.User);

        // Deployments: an operator's actions, then the rollout's own pause when the device never reports (System).
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("flaky", "1", DeviceIds: [device.DeviceId]), ct);
        var deploymentTarget = $"deployment:{deployment.Id}";
        await ExpectOneAsync(AuditActions.DeploymentCreated, deploymentTarget, PortalFactory.AdminEmail, AuditActor.User, targetName: deployment.Name);
        // Act once the rollout service has released the device: an action racing its first step gets a 409 (and no entry).
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.Devices is { Count: > 0 } list && list.All(x => x.State != DeviceRolloutState.Waiting), ct, seconds: 30);
        foreach (var (step, action) in new[]
        {
            ("pause", AuditActions.DeploymentPaused), ("resume", AuditActions.DeploymentResumed),
            ("abort", AuditActions.DeploymentAborted), ("rollback", AuditActions.DeploymentRolledBack),
        })
        {
            await SendAsync(HttpMethod.Post, ApiRoutes.DeploymentAction(deployment.Id, step));
            await ExpectOneAsync(action, deploymentTarget, PortalFactory.AdminEmail, AuditActor.User);
        }

        await SendAsync(HttpMethod.Delete, ApiRoutes.Deployment(deployment.Id));
        await ExpectOneAsync(AuditActions.DeploymentDeleted, deploymentTarget, PortalFactory.AdminEmail, AuditActor.User);

        var watched = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("flaky", "2", DeviceIds: [device.DeviceId],
            Strategy: new RolloutStrategy(RolloutKind.Rolling, FailureThresholdPercent: 0, OnFailure: FailureAction.Pause, DeviceTimeoutSeconds: 5)), ct);
        await DeploymentApi.WaitForAsync(admin, watched.Id, d => d.State == DeploymentState.Paused, ct, seconds: 30);
        var systemPause = await ExpectOneAsync(AuditActions.DeploymentPaused, $"deployment:{watched.Id}", "portal", AuditActor.SystemKind, loopback: false);
        Assert.Contains("threshold", systemPause.Detail, StringComparison.Ordinal);

        await SendAsync(HttpMethod.Post, ApiRoutes.MarketplaceAppCertify("flaky"), new CertifyRequest(false));
        await ExpectOneAsync(AuditActions.AppWithdrawn, "app:flaky", PortalFactory.AdminEmail, AuditActor.User);
        await SendAsync(HttpMethod.Delete, ApiRoutes.MarketplaceApp("flaky"));
        await ExpectOneAsync(AuditActions.AppRetired, "app:flaky", PortalFactory.AdminEmail, AuditActor.User);

        await SendAsync(HttpMethod.Delete, ApiRoutes.Device(device.DeviceId));
        await ExpectOneAsync(AuditActions.DeviceRevoked, $"device:{device.DeviceId}", PortalFactory.AdminEmail, AuditActor.User);

        // Models: created, uploaded, a rejected upload with its reason, restaged.
        using var model = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest("pv-plant"), ct);
        var modelId = (await model.Content.ReadFromJsonAsync<ModelDto>(ct))!.Id;
        var modelTarget = $"model:{modelId}";
        await ExpectOneAsync(AuditActions.ModelCreated, modelTarget, PortalFactory.AdminEmail, AuditActor.User, targetName: "pv-plant");
        using (var upload = await UploadAsync(modelId, await File.ReadAllBytesAsync(SampleModels.Solar, ct), "solar.onnx"))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        await ExpectOneAsync(AuditActions.ModelVersionUploaded, modelTarget, PortalFactory.AdminEmail, AuditActor.User, targetName: "pv-plant v1");
        using (var junk = await UploadAsync(modelId, "not an onnx model"u8.ToArray(), "junk.onnx"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, junk.StatusCode);
        }

        var rejected = await ExpectOneAsync(AuditActions.ModelVersionRejected, modelTarget, PortalFactory.AdminEmail, AuditActor.User, AuditOutcomes.Failure);
        Assert.StartsWith("junk.onnx: ", rejected.Detail, StringComparison.Ordinal);
        await SendAsync(HttpMethod.Put, ApiRoutes.ModelVersion(modelId, 1), new UpdateModelVersionRequest(ModelStage.Staging));
        var restaged = await ExpectOneAsync(AuditActions.ModelVersionRestaged, modelTarget, PortalFactory.AdminEmail, AuditActor.User);
        Assert.Equal("Draft → Staging", restaged.Detail);

        // Nothing secret anywhere in the log.
        var csv = await admin.GetStringAsync(ApiRoutes.AuditCsv, ct);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, csv, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Query_FiltersPagingAndCsv_WorkAndGuardAgainstFormulas()
    {
        for (var i = 0; i < 7; i++)
        {
            using var created = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest($"group-{i}", Description: "x"), ct);
            created.EnsureSuccessStatusCode();
        }

        using (var formula = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("=HYPERLINK(\"http://x\",\"a, b\")"), ct))
        {
            formula.EnsureSuccessStatusCode();
        }

        var first = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.GroupCreated}&page=1&pageSize=3", ct))!;
        var third = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.GroupCreated}&page=3&pageSize=3", ct))!;
        Assert.Equal((8, 3, 1), (first.Total, first.Items.Count, first.Page));
        Assert.Equal(2, third.Items.Count);
        // Newest first: the formula group was created last.
        Assert.StartsWith("=HYPERLINK", first.Items[0].TargetName, StringComparison.Ordinal);
        Assert.Equal("group-0", third.Items[^1].TargetName);
        Assert.True(first.Items.Zip(first.Items.Skip(1)).All(p => p.First.Id > p.Second.Id));

        Assert.Equal(1, (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?target=GROUP-3", ct))!.Total);
        Assert.Equal(0, (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.GroupCreated}&outcome=Failure", ct))!.Total);
        var future = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?from={future}", ct))!.Total);
        Assert.Equal(8, (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?to={future}&action={AuditActions.GroupCreated}&actor=ADMIN@", ct))!.Total);
        // LIKE wildcards typed by a person are literal.
        Assert.Equal(0, (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?target=group_%25", ct))!.Total);

        using var csv = await admin.GetAsync($"{ApiRoutes.AuditCsv}?action={AuditActions.GroupCreated}", ct);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition!.DispositionType);
        var text = await csv.Content.ReadAsStringAsync(ct);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AuditCsv.Header.TrimEnd(), lines[0]);
        Assert.Equal(9, lines.Length);
        // Quoted (comma and quotes inside), quotes doubled, and a leading quote so a spreadsheet shows text, not a formula.
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"a, b\"\")\",", lines[1], StringComparison.Ordinal);
        Assert.Contains(",group-0,", lines[^1], StringComparison.Ordinal);
        Assert.EndsWith(",\"selector (none), 0 static member(s)\"", lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("outcome=Maybe", "'outcome'")]
    [InlineData("action=user.exploded", "no audit action")]
    [InlineData("from=yesterday", "'from'")]
    [InlineData("from=2026-02-01&to=2026-01-01", "before")]
    [InlineData("pageSize=501", "'pageSize'")]
    [InlineData("page=0", "'page'")]
    public async Task Query_BadFilter_GetsProblemDetails(string query, string says)
    {
        using var response = await admin.GetAsync($"{ApiRoutes.Audit}?{query}", ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(says, await response.Content.ReadAsStringAsync(ct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Query_NonAdmin_IsForbidden()
    {
        await ApiClient.CreateUserAsync(admin, "op@portal.local", UserPassword, PortalRoles.Operator, ct);
        using var op = await ApiClient.SignedInAsync(portal, "op@portal.local", UserPassword, ct);

        using var page = await op.GetAsync(ApiRoutes.Audit, ct);
        using var csv = await op.GetAsync(ApiRoutes.AuditCsv, ct);
        using var anonymous = await portal.CreateClient().GetAsync(ApiRoutes.Audit, ct);

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, csv.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Retention_Set_RemovesOnlyEntriesOlderThanIt()
    {
        await using var kept = new PortalFactory();
        kept.Settings["Portal:Audit:RetentionDays"] = "30";
        _ = kept.Server;
        var dbFactory = kept.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var now = DateTimeOffset.UtcNow;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.AuditLog.AddRange(
                Entry("old", now.AddDays(-31)),
                Entry("recent", now.AddDays(-29)));
            await db.SaveChangesAsync(ct);
        }

        // The hosted cleanup may have run meanwhile too; either way only the old entry goes.
        await kept.Services.GetRequiredService<AuditRetention>().RunOnceAsync(ct);

        await using var check = await dbFactory.CreateDbContextAsync(ct);
        Assert.False(await check.AuditLog.AnyAsync(e => e.Target == "group:old", ct));
        Assert.True(await check.AuditLog.AnyAsync(e => e.Target == "group:recent", ct));
        // The bootstrap admin's creation, from a moment ago, is untouched too.
        Assert.True(await check.AuditLog.AnyAsync(e => e.Action == AuditActions.UserCreated, ct));
    }

    [Fact]
    public async Task Retention_Default_KeepsEverything()
    {
        await using (var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct))
        {
            db.AuditLog.Add(Entry("ancient", DateTimeOffset.UtcNow.AddYears(-20)));
            await db.SaveChangesAsync(ct);
        }

        Assert.Equal(0, await portal.Services.GetRequiredService<AuditRetention>().RunOnceAsync(ct));
        Assert.Equal(1, (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?target=ancient", ct))!.Total);
    }

    private static AuditEntry Entry(string id, DateTimeOffset at) => new()
    {
        At = at, ActorKind = AuditActor.User, ActorName = "someone@portal.local", Action = AuditActions.GroupCreated,
        Target = $"group:{id}", TargetName = id, Outcome = AuditOutcomes.Success,
    };

    private async Task<IReadOnlyList<AuditEntryDto>> EntriesAsync(string query) =>
        (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?{query}&pageSize=500", ct))!.Items;

    /// <summary>Exactly one entry of the action on the target, by that actor, with that outcome, from loopback.</summary>
    private async Task<AuditEntryDto> ExpectOneAsync(string action, string target, string actorName, string actorKind,
        string outcome = AuditOutcomes.Success, string? targetName = null, bool loopback = true)
    {
        var entries = (await EntriesAsync($"action={action}&target={Uri.EscapeDataString(target)}")).Where(e => e.Target == target).ToList();
        var entry = Assert.Single(entries);
        Assert.Equal((actorName, actorKind, outcome), (entry.ActorName, entry.ActorKind, entry.Outcome));
        if (targetName is not null)
        {
            Assert.Equal(targetName, entry.TargetName);
        }

        if (loopback)
        {
            AssertLoopback(entry);
        }
        else
        {
            Assert.Null(entry.SourceIp);
        }

        return entry;
    }

    private static void AssertLoopback(AuditEntryDto entry) =>
        Assert.True(entry.SourceIp is "127.0.0.1" or "::1" or "::ffff:127.0.0.1", $"{entry.Action} came from '{entry.SourceIp}'");

    private async Task SendAsync(HttpMethod method, string route, object? body = null)
    {
        using var request = new HttpRequestMessage(method, route) { Content = body is null ? null : JsonContent.Create(body, body.GetType()) };
        using var response = await admin.SendAsync(request, ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private async Task<HttpResponseMessage> UploadAsync(string modelId, byte[] bytes, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await admin.PostAsync(ApiRoutes.ModelVersions(modelId), form, ct);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }
}
