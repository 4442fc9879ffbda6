namespace Portal.Shared.Deployments;

public sealed record DeploymentEventDto(DateTimeOffset At, string Message);
