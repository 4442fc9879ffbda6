using Portal.Shared.Workloads;

namespace Portal.Data;

/// <summary>What a device should run (computed from the deployments) and the last report of what it does run.</summary>
public sealed class DeviceDesiredState
{
    public required string DeviceId { get; set; }

    public long Revision { get; set; }

    public List<WorkloadSpec> Workloads { get; set; } = [];

    public List<ModelWorkloadSpec> Models { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }

    public long ReportedRevision { get; set; }

    public List<WorkloadStatus> Reported { get; set; } = [];

    public DateTimeOffset? ReportedAt { get; set; }
}
