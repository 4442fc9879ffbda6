namespace Portal.Shared.Routes;

/// <summary>REST routes shared by the portal, the agent and scripts. Keep them stable: users depend on them.</summary>
public static class ApiRoutes
{
    public const string Prefix = "/api/v1";
    public const string Auth = Prefix + "/auth";
    public const string Login = Auth + "/login";
    public const string Users = Prefix + "/users";

    public static string User(string id) => $"{Users}/{Uri.EscapeDataString(id)}";

    public static string UserPassword(string id) => $"{User(id)}/password";
}
