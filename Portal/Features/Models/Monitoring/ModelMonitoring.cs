using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Shared.Models;
using Portal.Shared.Models.Monitoring;

namespace Portal.Features.Models.Monitoring;

/// <summary>A device's drift was measured for a model (for live pages and the alert evaluator).</summary>
public sealed record DriftMeasured(string DeviceId, string Model, int Version, double MaxPsi);

/// <summary>
/// Turns the cumulative feature statistics agents report into windows per device and model: what arrived since the
/// last report (the whole report after an agent restart) goes into the capturing baseline of that device and version,
/// if any, and into the device's window; a window of <c>WindowSeconds</c> and <c>MinWindowRequests</c> is compared with
/// the version's ready baseline (<see cref="DriftMath"/>) and kept as a drift point.
/// </summary>
public sealed class ModelMonitoring(
    IDbContextFactory<PortalDbContext> dbFactory,
    Notifier<DriftMeasured> measured,
    IOptionsMonitor<PortalOptions> options)
{
    public static string? Problem(IReadOnlyList<FeatureStats>? features) =>
        features is null ? null
        : features.Count > FeatureStats.MaxFeatures ? $"At most {FeatureStats.MaxFeatures} features per model."
        : features.Any(f => f is null || string.IsNullOrEmpty(f.Name) || f.Name.Length > 200 || f.Count < 0 || f.Keys is null || f.Counts is null
            || f.Keys.Length != f.Counts.Length || f.Keys.Length > FeatureStats.MaxBuckets || f.Counts.Any(c => c < 0)
            || !double.IsFinite(f.Sum) || !double.IsFinite(f.SumSquares) || !double.IsFinite(f.Min) || !double.IsFinite(f.Max)
            || f.Keys.Zip(f.Keys.Skip(1)).Any(p => p.First >= p.Second)) ? "A model's feature statistics are malformed."
        : null;

    public async Task ReceiveAsync(string deviceId, InferenceMetricsReport report, CancellationToken ct)
    {
        var watched = report.Models.Where(m => m.Features is { Count: > 0 }).ToList();
        if (watched.Count == 0)
        {
            return;
        }

        var settings = options.CurrentValue.ModelMonitoring;
        var names = watched.Select(m => m.Model).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.DeviceModelMonitors.Where(m => m.DeviceId == deviceId && names.Contains(m.Model)).ToDictionaryAsync(m => m.Model, StringComparer.Ordinal, ct);
        var baselines = await db.ModelBaselines.Where(b => names.Contains(b.Model)).ToListAsync(ct);
        var points = new List<ModelDriftPoint>();
        foreach (var metrics in watched)
        {
            if (!rows.TryGetValue(metrics.Model, out var row) || row.Version != metrics.Version)
            {
                row ??= db.DeviceModelMonitors.Add(new DeviceModelMonitor { DeviceId = deviceId, Model = metrics.Model }).Entity;
                (row.Version, row.Last, row.Window, row.WindowStartAt) = (metrics.Version, [], [], report.At);
            }

            var delta = Sketches.Delta(metrics.Features!, row.Last);
            row.Last = [.. metrics.Features!];
            if (delta.Count == 0)
            {
                continue;
            }

            var baseline = baselines.FirstOrDefault(b => b.Model == metrics.Model && b.Version == metrics.Version);
            if (baseline is { State: BaselineState.Capturing } && baseline.DeviceId == deviceId)
            {
                baseline.Captured = Sketches.Merge(baseline.Captured, delta);
                if (Sketches.Observations(baseline.Captured) >= baseline.TargetRequests)
                {
                    (baseline.Bins, baseline.State, baseline.ReadyAt) = (DriftMath.Bins(baseline.Captured), BaselineState.Ready, report.At);
                }
            }

            row.Window = Sketches.Merge(row.Window, delta);
            var requests = Sketches.Observations(row.Window);
            if (report.At - row.WindowStartAt < TimeSpan.FromSeconds(settings.WindowSeconds) || requests < settings.MinWindowRequests)
            {
                continue;
            }

            if (baseline is { State: BaselineState.Ready } && DriftMath.Psi(baseline.Bins, row.Window) is { } psi)
            {
                var worst = psi.MaxBy(p => p.Value);
                points.Add(db.ModelDriftPoints.Add(new ModelDriftPoint
                {
                    Model = metrics.Model, Version = metrics.Version, DeviceId = deviceId, At = report.At,
                    MaxPsi = worst.Value, WorstFeature = worst.Key, Requests = requests, Features = psi,
                }).Entity);
            }

            (row.Window, row.WindowStartAt) = ([], report.At);
        }

        await db.SaveChangesAsync(ct);
        foreach (var point in points)
        {
            measured.Publish(new DriftMeasured(deviceId, point.Model, point.Version, point.MaxPsi));
        }
    }
}
