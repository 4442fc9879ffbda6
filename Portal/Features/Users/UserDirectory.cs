using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Shared.Security;
using Portal.Shared.Users;

namespace Portal.Features.Users;

/// <summary>Read-side queries over users and their roles, one query each rather than one per user.</summary>
internal static class UserDirectory
{
    public static async Task<IReadOnlyList<UserDto>> ListAsync(PortalDbContext db, DateTimeOffset now, string? userId, CancellationToken cancellationToken)
    {
        var users = db.Users.AsNoTracking();
        var userRoles = from ur in db.UserRoles
                        join r in db.Roles on ur.RoleId equals r.Id
                        select new { ur.UserId, r.Name };
        if (userId is not null)
        {
            users = users.Where(u => u.Id == userId);
            userRoles = userRoles.Where(ur => ur.UserId == userId);
        }

        var roleLookup = (await userRoles.ToListAsync(cancellationToken)).ToLookup(r => r.UserId, r => r.Name!);
        var rows = await users.ToListAsync(cancellationToken);
        return rows
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .Select(u => ToDto(u, roleLookup[u.Id], now))
            .ToList();
    }

    public static async Task<int> CountActiveAdminsAsync(PortalDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var admins = await (from ur in db.UserRoles
                            join r in db.Roles on ur.RoleId equals r.Id
                            join u in db.Users on ur.UserId equals u.Id
                            where r.Name == PortalRoles.Admin
                            select u.LockoutEnd).ToListAsync(cancellationToken);
        return admins.Count(end => end is null || end <= now);
    }

    private static UserDto ToDto(PortalUser user, IEnumerable<string> roles, DateTimeOffset now)
    {
        var locked = user.LockoutEnd is { } end && end > now;
        var ordered = roles.OrderBy(r => PortalRoles.All.ToList().IndexOf(r)).ToList();
        return new UserDto(user.Id, user.Email ?? user.UserName ?? user.Id, ordered, locked,
            locked ? user.LockoutEnd : null, user.LastSignInAt, user.CreatedAt);
    }
}
