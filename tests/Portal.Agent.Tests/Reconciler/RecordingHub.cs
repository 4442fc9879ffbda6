using Portal.Shared.Devices;
using Portal.Shared.Hubs;
using Portal.Shared.Models;
using Portal.Shared.Telemetry;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Reconciler;

/// <summary>Stands in for the portal's hub: records workload reports and lets a test wait for one.</summary>
internal sealed class RecordingHub : IAgentHub
{
    private readonly List<WorkloadReport> reports = [];
    private readonly List<(Func<WorkloadReport, bool> Match, TaskCompletionSource<WorkloadReport> Done)> waiters = [];

    public IReadOnlyList<WorkloadReport> Reports
    {
        get
        {
            lock (reports)
            {
                return [.. reports];
            }
        }
    }

    /// <summary>The first report, received already or to come, that <paramref name="match"/> accepts.</summary>
    public Task<WorkloadReport> WaitForAsync(Func<WorkloadReport, bool> match)
    {
        lock (reports)
        {
            if (reports.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<WorkloadReport>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((match, done));
            return done.Task;
        }
    }

    public Task ReportWorkloads(WorkloadReport report)
    {
        lock (reports)
        {
            reports.Add(report);
            foreach (var waiter in waiters.Where(w => w.Match(report)).ToList())
            {
                waiter.Done.TrySetResult(report);
                waiters.Remove(waiter);
            }
        }

        return Task.CompletedTask;
    }

    public Task ReportInventory(DeviceInventory inventory) => throw new NotSupportedException();

    public Task Heartbeat(int intervalSeconds) => throw new NotSupportedException();

    public Task<long> SendTelemetry(TelemetryBatch batch) => throw new NotSupportedException();

    public Task<long> SendDeviceData(Portal.Shared.DeviceData.DeviceDataBatch batch) => throw new NotSupportedException();

    public Task<DesiredState> GetDesiredState() => throw new NotSupportedException();

    public Task<string> GetReleaseKey() => Task.FromResult("");

    public Task ReportInferenceMetrics(InferenceMetricsReport report) => throw new NotSupportedException();

    public Task ReportProfile(ProfileReport report) => throw new NotSupportedException();

    public Task ReportAction(DeviceActionReport report) => throw new NotSupportedException();

    public Task SendLogs(LogChunk chunk) => throw new NotSupportedException();
}
