using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Features.Account;

/// <summary>Per-user choices that follow the user from browser to browser (for now: the theme).</summary>
public sealed class UserPreferencesService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<bool> GetDarkModeAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var preference = await db.Users.Where(u => u.Id == id).Select(u => u.PrefersDarkMode).FirstOrDefaultAsync(cancellationToken);
        return preference ?? false;
    }

    public async Task SetDarkModeAsync(ClaimsPrincipal principal, bool darkMode, CancellationToken cancellationToken = default)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PrefersDarkMode, darkMode), cancellationToken);
    }
}
