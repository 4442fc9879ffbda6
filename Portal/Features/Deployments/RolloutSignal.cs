using Portal.Common;

namespace Portal.Features.Deployments;

/// <summary>Wakes the rollout service now instead of at its next tick (a deployment changed, a device reported).</summary>
public sealed class RolloutSignal : Wakeup;
