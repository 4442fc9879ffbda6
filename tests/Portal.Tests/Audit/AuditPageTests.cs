using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Security;
using Portal.Tests.Devices;

namespace Portal.Tests.Audit;

public sealed class AuditPageTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public AuditPageTests()
    {
        var auth = this.AddDevicePageServices();
        auth.SetAuthorized("admin@portal.local");
        auth.SetRoles(PortalRoles.Admin);
    }

    [Fact]
    public void AuditPage_WithEntries_ShowsNewestFirstWithOutcomeActorAndTarget()
    {
        Seed();

        var page = Render<AuditPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tr.audit-row").Count), Patience);
        Assert.Equal([AuditActions.DeviceRevoked, AuditActions.SignIn, AuditActions.UserCreated],
            page.FindAll(".audit-action").Select(a => a.TextContent.Trim()));
        Assert.Equal(["Success", "Failure", "Success"], page.FindAll(".audit-outcome").Select(a => a.TextContent.Trim()));
        Assert.Equal("mallory@example.com", page.FindAll(".audit-actor")[1].TextContent.Trim());
        Assert.Equal("press-07", page.FindAll(".audit-target")[0].TextContent.Trim());
        Assert.Contains("3 entries", page.Find("#audit-summary").TextContent, StringComparison.Ordinal);
        Assert.Equal("/api/v1/audit.csv", page.Find("#export-csv").GetAttribute("href"));
    }

    [Fact]
    public void AuditPage_WhoFilter_NarrowsTheRowsAndTheExport()
    {
        Seed();
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tr.audit-row").Count), Patience);

        page.Find("#filter-actor input, input#filter-actor").Input("mallory");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.audit-row")), Patience);
        Assert.Equal(AuditActions.SignIn, page.Find(".audit-action").TextContent.Trim());
        page.WaitForAssertion(() => Assert.Equal("/api/v1/audit.csv?actor=mallory", page.Find("#export-csv").GetAttribute("href")), Patience);
    }

    [Fact]
    public void AuditPage_NothingRecorded_SaysSo()
    {
        var page = Render<AuditPage>();

        page.WaitForAssertion(() => Assert.Contains("Nothing has been recorded yet", page.Find("#audit-empty").TextContent, StringComparison.Ordinal), Patience);
    }

    private void Seed()
    {
        var now = DateTimeOffset.UtcNow;
        using var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        db.AuditLog.AddRange(
            new AuditEntry
            {
                At = now.AddHours(-2), ActorKind = AuditActor.SystemKind, ActorName = "portal", Action = AuditActions.UserCreated,
                Target = "user:u1", TargetName = "admin@portal.local", Outcome = AuditOutcomes.Success,
            },
            new AuditEntry
            {
                At = now.AddMinutes(-30), ActorKind = AuditActor.Anonymous, ActorName = "mallory@example.com", Action = AuditActions.SignIn,
                Outcome = AuditOutcomes.Failure, SourceIp = "203.0.113.9", Detail = "wrong e-mail or password",
            },
            new AuditEntry
            {
                At = now.AddMinutes(-1), ActorKind = AuditActor.User, ActorName = "admin@portal.local", Action = AuditActions.DeviceRevoked,
                Target = "device:0f3c2a61-9a3e-4c55-8d1c-4b8f2c7d9e10", TargetName = "press-07", Outcome = AuditOutcomes.Success, SourceIp = "127.0.0.1",
            });
        db.SaveChanges();
    }
}
