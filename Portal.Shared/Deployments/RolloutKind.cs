namespace Portal.Shared.Deployments;

public enum RolloutKind
{
    AllAtOnce,
    Rolling,
}
