using System.Text.Json;
using Portal.Agent.Storage;
using Portal.Shared.Hubs;

namespace Portal.Agent.Actions;

/// <summary>
/// Final action reports the portal did not take (the connection dropped as the action finished), kept in
/// <c>{data}/actions/unsent.json</c> and sent again after the next connect, so a prune that ran during a flap is not
/// called unanswered. At most <see cref="Max"/>, the oldest dropped; a damaged file counts as none.
/// </summary>
public sealed class UnsentReports(string dataDirectory)
{
    public const int Max = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock gate = new();

    private string FilePath => Path.Combine(Path.GetFullPath(dataDirectory), "actions", "unsent.json");

    public void Add(DeviceActionReport report)
    {
        lock (gate)
        {
            var all = Read();
            all.RemoveAll(r => r.ActionId == report.ActionId);
            all.Add(report);
            Write(all.TakeLast(Max).ToList());
        }
    }

    public IReadOnlyList<DeviceActionReport> All()
    {
        lock (gate)
        {
            return Read();
        }
    }

    /// <summary>Forgets the reports the portal took.</summary>
    public void Remove(IEnumerable<string> actionIds)
    {
        lock (gate)
        {
            var sent = actionIds.ToHashSet(StringComparer.Ordinal);
            var all = Read();
            if (sent.Count > 0 && all.RemoveAll(r => sent.Contains(r.ActionId)) > 0)
            {
                Write(all);
            }
        }
    }

    private List<DeviceActionReport> Read() =>
        [.. DurableFile.ReadJson<List<DeviceActionReport>>(FilePath, Json).Value ?? []];

    private void Write(List<DeviceActionReport> reports)
    {
        if (reports.Count == 0)
        {
            // File.Delete throws when the folder itself is missing, not only the file.
            foreach (var file in new[] { FilePath, FilePath + DurableFile.BackupSuffix }.Where(File.Exists))
            {
                File.Delete(file);
            }

            return;
        }

        DurableFile.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        DurableFile.WriteJson(FilePath, reports, Json);
    }
}
