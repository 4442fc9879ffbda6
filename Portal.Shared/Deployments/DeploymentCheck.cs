namespace Portal.Shared.Deployments;

/// <summary>
/// What a deployment would do before it is created (<c>POST /api/v1/deployments/check</c>): how many of its target
/// devices will receive it, and for every target whether it can run the workload, why not, and notes (offline, not
/// checked yet) that do not stop it.
/// </summary>
public sealed record DeploymentCheck(int Targeted, int Receiving, string Summary, IReadOnlyList<DeviceCheck> Devices)
{
    /// <summary>The devices that cannot run it.</summary>
    public IEnumerable<DeviceCheck> Ineligible => Devices.Where(d => !d.Eligible);
}

/// <summary>One target device: eligible, or the problems (each a sentence a person can act on) that keep it from running the workload.</summary>
public sealed record DeviceCheck(string DeviceId, string DeviceName, IReadOnlyList<DeviceCheckProblem> Problems, IReadOnlyList<string> Notes)
{
    public bool Eligible => Problems.Count == 0;

    /// <summary>The problems in one sentence each, joined.</summary>
    public string Why => string.Join(" ", Problems.Select(p => p.Message));
}

public sealed record DeviceCheckProblem(DeviceCheckReason Reason, string Message);
