namespace Portal.Features.Devices;

/// <summary>How a drain ended: how many workloads the device was meant to run, and whether it confirmed removing them all.</summary>
public sealed record DrainResult(int Workloads, bool Confirmed);

/// <summary>
/// Removes every workload from a device that is being decommissioned and waits until its agent reports none left.
/// Implemented where desired states live (Deployments), so this feature does not depend on it.
/// </summary>
public interface IWorkloadDrain
{
    /// <summary>The workloads the device is meant to run now (containers and served models).</summary>
    Task<IReadOnlyList<string>> WorkloadsOfAsync(string deviceId, CancellationToken ct);

    /// <summary>Called once the device is marked revoked (so no deployment targets it any more).</summary>
    Task<DrainResult> DrainAsync(string deviceId, TimeSpan timeout, CancellationToken ct);
}
