using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;
using Portal.Tests.Devices;

namespace Portal.Tests.Groups;

/// <summary>A deployment still naming a group deleted before deletes were guarded shows the group's name, never its id.</summary>
public sealed class DeletedGroupNameTests : PortalBunitContext
{
    public DeletedGroupNameTests() => this.AddDevicePageServices();

    [Fact]
    public void DeploymentDetails_GroupDeletedEarlier_ShowsDeletedGroupAndItsName()
    {
        var now = DateTimeOffset.UtcNow;
        using (var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            db.Groups.Add(new DeviceGroup { Id = "g-live", Name = "line-1", CreatedAt = now });
            db.Deployments.Add(new Deployment
            {
                Id = "dep1", Name = "web rollout", SourceId = "web", SourceName = "web", Version = "1.2", Spec = new AppVersion("1.2", "local/busybox:1"),
                GroupIds = ["g-live", "0123456789abcdef", "never-recorded"], State = DeploymentState.Completed, CreatedBy = "admin", CreatedAt = now, UpdatedAt = now,
            });
            db.AuditLog.Add(new AuditEntry
            {
                At = now, ActorKind = "User", ActorName = "admin", Action = AuditActions.GroupDeleted, Target = AuditTargets.Group("0123456789abcdef"),
                TargetName = "line-9", Outcome = AuditOutcomes.Success,
            });
            db.SaveChanges();
        }

        var page = Render<DeploymentDetailsPage>(p => p.Add(x => x.Id, "dep1"));

        page.WaitForAssertion(() => Assert.Equal("line-1, deleted group line-9, a deleted group", page.Find("#deployment-groups").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("0123456789abcdef", page.Markup, StringComparison.Ordinal);
    }
}
