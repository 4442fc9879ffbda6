namespace Portal.Shared.Deployments;

/// <summary>
/// What an update would do, without doing it: the revision it would create, what changes, and the devices (by
/// name) that would receive the workload (newly targeted), be updated to the new revision, keep it unchanged, or lose
/// it (no longer targeted). <see cref="Summary"/> says it in one sentence.
/// </summary>
public sealed record DeploymentUpdatePreview(
    string DeploymentId,
    int Revision,
    IReadOnlyList<string> Changes,
    IReadOnlyList<PreviewDevice> Receive,
    IReadOnlyList<PreviewDevice> Update,
    IReadOnlyList<PreviewDevice> Unchanged,
    IReadOnlyList<PreviewDevice> Lose,
    string Summary);

public sealed record PreviewDevice(string DeviceId, string DeviceName);
