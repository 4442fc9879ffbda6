using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;

namespace Portal.Features.Dashboard;

/// <summary>Facts about this portal installation that the dashboard shows.</summary>
public sealed record PortalFacts(string Version, string DatabaseProvider, int UserCount, DateTimeOffset StartedAt);

public sealed class DashboardService(IDbContextFactory<PortalDbContext> dbFactory, IOptions<PortalOptions> options, TimeProvider clock)
{
    private readonly DateTimeOffset startedAt = clock.GetUtcNow();

    public async Task<PortalFacts> GetFactsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.CountAsync(cancellationToken);
        var version = typeof(DashboardService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
        return new PortalFacts(version.Split('+')[0], options.Value.Database.Provider, users, startedAt);
    }
}
