namespace Portal.Data;

/// <summary>A silence (see <see cref="Portal.Shared.Alerts.SilenceDto"/>).</summary>
public sealed class AlertSilence
{
    public required string Id { get; set; }

    public List<string> RuleIds { get; set; } = [];

    public List<string> GroupIds { get; set; } = [];

    public List<string> DeviceIds { get; set; } = [];

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    public string Comment { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
