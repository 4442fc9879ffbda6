using Portal.Shared.Models.Monitoring;

namespace Portal.Data;

/// <summary>Drift monitoring of one model on one device: its last cumulative report and the window being filled.</summary>
public sealed class DeviceModelMonitor
{
    public required string DeviceId { get; set; }

    public required string Model { get; set; }

    public int Version { get; set; }

    /// <summary>The agent's last cumulative feature statistics (what the next report is subtracted from).</summary>
    public List<FeatureStats> Last { get; set; } = [];

    /// <summary>What arrived since <see cref="WindowStartAt"/>.</summary>
    public List<FeatureStats> Window { get; set; } = [];

    public DateTimeOffset WindowStartAt { get; set; }
}

/// <summary>A model version's baseline (see <see cref="BaselineDto"/>); the decile bins drift is measured in.</summary>
public sealed class ModelBaseline
{
    public required string Model { get; set; }

    public int Version { get; set; }

    public BaselineState State { get; set; }

    public required string DeviceId { get; set; }

    public int TargetRequests { get; set; }

    public List<FeatureStats> Captured { get; set; } = [];

    /// <summary>Per feature: the decile edges (bin keys) and the baseline's share of each bin; set once Ready.</summary>
    public List<DriftBins> Bins { get; set; } = [];

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadyAt { get; set; }
}

/// <summary>One feature's bins: bin i holds keys in (Edges[i-1], Edges[i]]; the last holds keys above the last edge.</summary>
public sealed record DriftBins(string Feature, int[] Edges, double[] Expected);

/// <summary>One window's drift on one device (see <see cref="DriftPointDto"/>).</summary>
public sealed class ModelDriftPoint
{
    public long Id { get; set; }

    public required string Model { get; set; }

    public int Version { get; set; }

    public required string DeviceId { get; set; }

    public DateTimeOffset At { get; set; }

    public double MaxPsi { get; set; }

    public string WorstFeature { get; set; } = "";

    public long Requests { get; set; }

    public Dictionary<string, double> Features { get; set; } = [];
}
