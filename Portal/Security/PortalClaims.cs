namespace Portal.Security;

/// <summary>Claims the portal adds to a principal beyond Identity's own.</summary>
public static class PortalClaims
{
    /// <summary>Set when the caller authenticated with a personal access token: the token's id.</summary>
    public const string TokenId = "portal:token-id";

    /// <summary>The token's name, for the audit log ("token 'ci' of ana@example.com").</summary>
    public const string TokenName = "portal:token-name";
}
