using System.Text.Json;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// The last desired state the portal sent, on disk (<c>desired-state.json</c>, written atomically), so an agent that
/// restarts while the portal is away keeps running what it was told. Older revisions than the stored one are ignored.
/// </summary>
public sealed class DesiredStateStore(string dataDirectory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock gate = new();
    private DesiredState? current;

    private string FilePath => Path.Combine(dataDirectory, "desired-state.json");

    public DesiredState Current
    {
        get
        {
            lock (gate)
            {
                return current ??= Load();
            }
        }
    }

    /// <summary>Stores a newer revision; false (and nothing written) when it is not newer than what is stored.</summary>
    public bool TryUpdate(DesiredState state)
    {
        lock (gate)
        {
            current ??= Load();
            if (state.Revision <= current.Revision)
            {
                return false;
            }

            Directory.CreateDirectory(dataDirectory);
            var temp = FilePath + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(state, Json));
            File.Move(temp, FilePath, overwrite: true);
            current = state;
            return true;
        }
    }

    private DesiredState Load()
    {
        try
        {
            return File.Exists(FilePath) ? JsonSerializer.Deserialize<DesiredState>(File.ReadAllText(FilePath), Json) ?? DesiredState.Empty : DesiredState.Empty;
        }
        catch (JsonException)
        {
            // A damaged file is a lost revision, not a dead agent: the portal sends the current one on connect.
            return DesiredState.Empty;
        }
    }
}
