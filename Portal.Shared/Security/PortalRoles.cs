namespace Portal.Shared.Security;

/// <summary>The portal's roles, from most to least privileged. Used in <c>[Authorize(Roles = ...)]</c>.</summary>
public static class PortalRoles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Viewer = "Viewer";

    /// <summary>Roles that may change the fleet (everything except read-only viewing).</summary>
    public const string AdminOrOperator = Admin + "," + Operator;

    /// <summary>Not a person's role: the role of a principal authenticated by a device secret.</summary>
    public const string Device = "Device";

    public static IReadOnlyList<string> All { get; } = [Admin, Operator, Viewer];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>What a person in the role may do, in words shown on the dashboard and the Users page.</summary>
    public static string Describe(string role) => role switch
    {
        Admin => "Everything operators do, plus users, roles, marketplace certification and security settings.",
        Operator => "Enrolls and groups devices, uploads models, deploys certified apps and rolls them back.",
        Viewer => "Sees devices, deployments, models and telemetry, but changes nothing.",
        _ => "Unknown role.",
    };
}
