using System.Text.Json;
using Portal.Agent.Storage;

namespace Portal.Agent.Actions;

/// <summary>
/// Images pulled ahead of a deployment (<c>{data}/actions/prepulled.json</c>): pruning keeps them for a week, so a
/// prune between the pre-pull and the maintenance window does not undo it.
/// </summary>
public sealed class PrePulledImages(string dataDirectory, TimeProvider clock)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(7);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock gate = new();

    private string FilePath => Path.Combine(Path.GetFullPath(dataDirectory), "actions", "prepulled.json");

    public IReadOnlyList<string> Current()
    {
        lock (gate)
        {
            return Fresh().Keys.ToList();
        }
    }

    public void Add(IEnumerable<string> images)
    {
        lock (gate)
        {
            var all = Fresh();
            foreach (var image in images)
            {
                all[image] = clock.GetUtcNow();
            }

            DurableFile.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            DurableFile.WriteJson(FilePath, all, Json);
        }
    }

    /// <summary>What was pre-pulled within the week; a damaged file counts as nothing (pruning then keeps only what the desired state names).</summary>
    private Dictionary<string, DateTimeOffset> Fresh()
    {
        var since = clock.GetUtcNow() - KeptFor;
        var read = DurableFile.ReadJson<Dictionary<string, DateTimeOffset>>(FilePath, Json);
        return (read.Value ?? []).Where(kv => kv.Value >= since).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }
}
