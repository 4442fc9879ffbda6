using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Shared.Alerts;

namespace Portal.Features.Alerts;

/// <summary>
/// The stream rules on one device: its telemetry and device data after its cursors, in sequence order, judged on each
/// sample's own time (so a backlog an agent sends after an outage is judged as it happened). The cursors move in the same
/// transaction as the alerts, conditionally: a second evaluator that read the same samples commits nothing.
/// </summary>
internal static class StreamEvaluation
{
    public const string Telemetry = "telemetry";
    public const string DeviceData = "device-data";
    private const int Batch = 5000;
    private static readonly TimeSpan FirstLook = TimeSpan.FromHours(1);

    public static async Task RunAsync(AlertEvaluation evaluation, string deviceId, IReadOnlyList<AlertRule> rules, AlertScope scope, CancellationToken ct)
    {
        var covering = rules.Where(r => scope.Covers(r, deviceId)).ToList();
        var telemetryRules = covering.Where(r => r.Kind == AlertRuleKind.Telemetry).ToList();
        var dataRules = covering.Where(r => r.Kind == AlertRuleKind.DeviceData).ToList();
        if (covering.Count == 0)
        {
            return;
        }

        await using var db = await evaluation.Db.CreateDbContextAsync(ct);
        var cursors = await db.AlertCursors.AsNoTracking().Where(c => c.DeviceId == deviceId).ToDictionaryAsync(c => c.Stream, c => c.LastSequence, StringComparer.Ordinal, ct);
        var firstLook = scope.Now - FirstLook;
        var telemetry = telemetryRules.Count == 0 ? [] : await TelemetryAfterAsync(db, deviceId, cursors.GetValueOrDefault(Telemetry, -1), firstLook, ct);
        var data = dataRules.Count == 0 ? [] : await DataAfterAsync(db, deviceId, cursors.GetValueOrDefault(DeviceData, -1), firstLook, ct);
        if (telemetry.Count == 0 && data.Count == 0)
        {
            return;
        }

        var name = await db.Devices.AsNoTracking().Where(d => d.Id == deviceId).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? deviceId;
        var ruleIds = covering.Select(r => r.Id).ToList();
        var open = await db.Alerts.Where(a => a.DeviceId == deviceId && a.OpenKey != null && ruleIds.Contains(a.RuleId)).ToListAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var book = new AlertBook(db, open);
        foreach (var sample in telemetry)
        {
            foreach (var rule in telemetryRules)
            {
                if (ValueOf(rule.Metric, sample) is { } value)
                {
                    book.Apply(rule, Observe(rule, deviceId, name, sample.At, value));
                }
            }
        }

        foreach (var point in data)
        {
            foreach (var rule in dataRules.Where(r => string.Equals(r.Series, point.Series, StringComparison.Ordinal)))
            {
                book.Apply(rule, Observe(rule, deviceId, name, point.At, point.Value));
            }
        }

        if (!await MoveAsync(db, deviceId, Telemetry, cursors, telemetry.Count == 0 ? null : telemetry[^1].Sequence, ct)
            || !await MoveAsync(db, deviceId, DeviceData, cursors, data.Count == 0 ? null : data[^1].Sequence, ct))
        {
            // Another evaluator moved on from here already: what it judged stands.
            return;
        }

        await evaluation.CommitAsync(db, book, scope, transaction, ct);
    }

    private static SubjectObservation Observe(AlertRule rule, string deviceId, string name, DateTimeOffset at, double value)
    {
        var judgement = AlertStateMachine.Judge(value, rule.Comparison, rule.Threshold, rule.ClearThreshold);
        var what = rule.Kind == AlertRuleKind.Telemetry ? AlertRuleChecks.Label(rule.Metric) : rule.Series;
        var summary = $"{what} {AlertMessages.Format(value, rule)} ({rule.Comparison.ToString().ToLowerInvariant()} {AlertMessages.Format(rule.Threshold, rule)})";
        return new SubjectObservation("device", deviceId, name, deviceId, new Observation(at, value, judgement), summary);
    }

    public static double? ValueOf(TelemetryMetric? metric, TelemetryRecord sample) => metric switch
    {
        TelemetryMetric.CpuPercent => sample.CpuPercent,
        TelemetryMetric.MemoryPercent => sample.MemoryTotalBytes > 0 ? 100.0 * sample.MemoryUsedBytes / sample.MemoryTotalBytes : null,
        TelemetryMetric.DiskPercent => sample.DiskTotalBytes > 0 ? 100.0 * sample.DiskUsedBytes / sample.DiskTotalBytes : null,
        TelemetryMetric.TemperatureCelsius => sample.TemperatureCelsius,
        TelemetryMetric.GpuPercent => sample.GpuPercent,
        TelemetryMetric.LoadAverage => sample.LoadAverage1m,
        _ => null,
    };

    // A device seen for the first time (no cursor): only its last hour counts, not its whole history.
    private static Task<List<TelemetryRecord>> TelemetryAfterAsync(PortalDbContext db, string deviceId, long after, DateTimeOffset firstLook, CancellationToken ct) =>
        db.Telemetry.AsNoTracking().Where(t => t.DeviceId == deviceId && t.Sequence > after && (after >= 0 || t.At >= firstLook))
            .OrderBy(t => t.Sequence).Take(Batch).ToListAsync(ct);

    private static Task<List<DeviceDataRecord>> DataAfterAsync(PortalDbContext db, string deviceId, long after, DateTimeOffset firstLook, CancellationToken ct) =>
        db.DeviceData.AsNoTracking().Where(t => t.DeviceId == deviceId && t.Sequence > after && (after >= 0 || t.At >= firstLook))
            .OrderBy(t => t.Sequence).Take(Batch).ToListAsync(ct);

    /// <summary>Moves the cursor from where this pass read it; false when it is no longer there (another evaluator moved it).</summary>
    private static async Task<bool> MoveAsync(PortalDbContext db, string deviceId, string stream, Dictionary<string, long> cursors, long? to, CancellationToken ct)
    {
        if (to is not { } last)
        {
            return true;
        }

        if (!cursors.TryGetValue(stream, out var from))
        {
            // A new cursor: its primary key refuses a second evaluator's insert at commit.
            db.AlertCursors.Add(new AlertCursor { Stream = stream, DeviceId = deviceId, LastSequence = last });
            return true;
        }

        return await db.AlertCursors.Where(c => c.Stream == stream && c.DeviceId == deviceId && c.LastSequence == from)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSequence, last), ct) == 1;
    }
}
