using Microsoft.AspNetCore.Identity;

namespace Portal.Data;

/// <summary>A person who signs in to the portal.</summary>
public sealed class PortalUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>The theme the user last chose; null until they choose.</summary>
    public bool? PrefersDarkMode { get; set; }
}
