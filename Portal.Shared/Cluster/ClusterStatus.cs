namespace Portal.Shared.Cluster;

/// <summary>The portal instances sharing this database, and which of them does each once-per-cluster job.</summary>
/// <param name="AnsweredBy">The instance that answered this request.</param>
public sealed record ClusterStatus(string AnsweredBy, IReadOnlyList<ClusterInstance> Instances, IReadOnlyList<ClusterLease> Leases);

/// <param name="Alive">Seen within <c>Portal:Cluster:InstanceTimeoutSeconds</c>.</param>
/// <param name="ConnectedDevices">Devices whose agents are connected to it now.</param>
public sealed record ClusterInstance(string Id, string Host, DateTimeOffset StartedAt, DateTimeOffset SeenAt, bool Alive, int ConnectedDevices);

/// <param name="Held">Not expired: <see cref="Holder"/> does the work now.</param>
public sealed record ClusterLease(string Name, string Holder, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt, bool Held);
