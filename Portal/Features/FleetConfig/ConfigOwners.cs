using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Shared.Config;

namespace Portal.Features.FleetConfig;

/// <summary>Whether a level's owner exists, and its name for the audit log.</summary>
internal static class ConfigOwners
{
    public const string Missing = "There is no such group or device: check the id in the address.";

    /// <summary>The owner's name ("fleet" for the fleet), or null when the group or device does not exist.</summary>
    public static async Task<string?> NameAsync(PortalDbContext db, ConfigScope scope, CancellationToken ct) => scope.Level switch
    {
        ConfigLevel.Group => await db.Groups.Where(g => g.Id == scope.OwnerId).Select(g => g.Name).FirstOrDefaultAsync(ct),
        ConfigLevel.Device => await db.Devices.Where(d => d.Id == scope.OwnerId).Select(d => d.Name).FirstOrDefaultAsync(ct),
        _ => "fleet",
    };
}
