using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Storage;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// The last desired state the portal sent, on disk (<c>desired-state.json</c>, written durably with a last good copy),
/// so an agent that restarts while the portal is away keeps running what it was told. Older revisions than the stored
/// one are ignored. When the file and its copy are both damaged the desired state is unknown (<see cref="Current"/> is
/// null): the agent keeps what runs and takes whatever the portal sends next.
/// </summary>
public sealed partial class DesiredStateStore(string dataDirectory, ILogger? logger = null)
{
    public const string FileName = "desired-state.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock gate = new();
    private readonly ILogger logger = logger ?? NullLogger.Instance;
    private bool loaded;
    private DesiredState? current;

    public string FilePath { get; } = Path.Combine(Path.GetFullPath(dataDirectory), FileName);

    /// <summary>The stored desired state; null while it is unknown (damaged on disk, nothing from the portal yet).</summary>
    public DesiredState? Current
    {
        get
        {
            lock (gate)
            {
                return Loaded();
            }
        }
    }

    /// <summary>
    /// Stores a newer revision; false (and nothing written) when it is not newer than what is stored. While the stored
    /// state is unknown any revision is newer. A state that does not say whole what to run (neither list, a workload
    /// without its kind's spec) is refused the same way: acting on it could remove what runs. Either shape is stored
    /// in the current one.
    /// </summary>
    public bool TryUpdate(DesiredState state)
    {
        if (!state.IsWhole())
        {
            return false;
        }

        state = state.WithoutOldShape();
        lock (gate)
        {
            if (Loaded() is { } stored && state.Revision <= stored.Revision)
            {
                return false;
            }

            DurableFile.WriteJson(FilePath, state, Json);
            current = state;
            return true;
        }
    }

    private DesiredState? Loaded()
    {
        if (!loaded)
        {
            current = Load();
            loaded = true;
        }

        return current;
    }

    private DesiredState? Load()
    {
        var read = DurableFile.ReadJson<DesiredState>(FilePath, Json, s => s.IsWhole());
        switch (read.Outcome)
        {
            case DurableReadOutcome.Missing:
                return DesiredState.Empty;
            case DurableReadOutcome.ReadFromBackup:
                LogUsingBackup(logger, FilePath, read.Problem!, read.Value!.Revision);
                return read.Value;
            case DurableReadOutcome.Damaged:
                // Never tear down workloads because a file did not parse: keep what runs until the portal says more.
                LogDamaged(logger, FilePath, read.Problem!);
                return null;
            default:
                return read.Value;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} is damaged ({Problem}); using its last good copy (revision {Revision})")]
    private static partial void LogUsingBackup(ILogger logger, string path, string problem, long revision);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Path} and its last good copy are damaged ({Problem}): the desired state is unknown. " +
        "The agent keeps every workload running as it is, changes nothing, and waits for the portal's desired state.")]
    private static partial void LogDamaged(ILogger logger, string path, string problem);
}
