namespace Portal.Shared.Devices;

/// <summary>
/// What deleting a group would do: the deployments that target it and, for each, the devices that would lose its
/// workload (those the deployment reaches only through this group). <see cref="Summary"/> says it in one sentence.
/// </summary>
public sealed record GroupDeletePreview(string GroupId, string GroupName, IReadOnlyList<GroupDeleteImpact> Deployments, string Summary);
