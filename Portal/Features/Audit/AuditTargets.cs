namespace Portal.Features.Audit;

/// <summary>Targets as the audit log writes them: <c>kind:id</c>.</summary>
public static class AuditTargets
{
    public static string User(string id) => $"user:{id}";

    public static string Device(string id) => $"device:{id}";

    public static string EnrollmentToken(string id) => $"enrollment-token:{id}";

    public static string Group(string id) => $"group:{id}";

    public static string App(string id) => $"app:{id}";

    public static string Model(string id) => $"model:{id}";

    public static string DataFlow(string id) => $"dataflow:{id}";

    public static string AgentRelease(string id) => $"agent-release:{id}";

    public static string Deployment(string id) => $"deployment:{id}";

    public static string NotificationChannel(string id) => $"channel:{id}";

    public static string AlertRule(string id) => $"alert-rule:{id}";

    public static string Alert(long id) => $"alert:{id}";

    public static string AlertSilence(string id) => $"alert-silence:{id}";

    public static string Token(string id) => $"token:{id}";

    /// <summary>The fleet as a whole (its config set and secrets).</summary>
    public const string Fleet = "fleet";
}
