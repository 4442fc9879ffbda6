namespace Portal.Shared.Deployments;

/// <summary>What a rolling deployment does when its failure threshold is crossed.</summary>
public enum FailureAction
{
    Pause,
    Rollback,
}
