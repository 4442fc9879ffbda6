using Portal.Shared.Deployments;

namespace Portal.Shared.Config;

/// <summary>
/// The whole set at one level (PUT replaces it): keys/values, and files by name with their text. Without
/// <see cref="Rollout"/> the change reaches every affected device at once; with it, the devices of the level receive
/// it as a deployment's devices would (batches, failure threshold, pause or rollback), the others keeping the values
/// before the change until they are released.
/// </summary>
public sealed record SaveConfigSetRequest(IReadOnlyDictionary<string, string>? Values, IReadOnlyDictionary<string, string>? Files, RolloutStrategy? Rollout = null);
