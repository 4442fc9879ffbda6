namespace Portal.Data;

/// <summary>Something that happened to a deployment, in words (created, batch released, paused, rolled back...).</summary>
public sealed class DeploymentEvent
{
    public long Id { get; set; }

    public required string DeploymentId { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Message { get; set; }
}
