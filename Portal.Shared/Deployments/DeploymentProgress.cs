namespace Portal.Shared.Deployments;

/// <summary>Counts of a deployment's devices, for progress bars.</summary>
public sealed record DeploymentProgress(int Total, int Running, int Failed, int InFlight, int Waiting, int Superseded = 0, int Skipped = 0)
{
    public int Percent => Total == 0 ? 100 : (int)Math.Round(100.0 * (Running + Failed + Superseded + Skipped) / Total);
}
