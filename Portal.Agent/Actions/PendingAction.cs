using System.Text.Json;
using Portal.Agent.Storage;
using Portal.Shared.Devices;

namespace Portal.Agent.Actions;

/// <summary>
/// An action whose outcome only the next start can tell (a restart, a reboot), kept in <c>{data}/actions/pending.json</c>:
/// which action, and the process and boot it was asked in. After a start, a different process means the agent restarted
/// and a different boot id means the host rebooted.
/// </summary>
public sealed record PendingAction(string ActionId, DeviceActionKind Kind, int ProcessId, string? BootId, DateTimeOffset At)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string PathIn(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "actions", "pending.json");

    /// <summary>The host's boot id (Linux); null where there is none.</summary>
    public static string? CurrentBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Save(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        DurableFile.CreateDirectory(Path.GetDirectoryName(path)!);
        DurableFile.WriteJson(path, this, Json, keepBackup: false);
    }

    /// <summary>The pending action, or null when there is none or the file is damaged (then it is removed: nothing can be reported for it).</summary>
    public static PendingAction? Load(string dataDirectory, out string? problem)
    {
        var path = PathIn(dataDirectory);
        var read = DurableFile.ReadJson<PendingAction>(path, Json, p => !string.IsNullOrEmpty(p.ActionId));
        problem = read.Outcome == DurableReadOutcome.Damaged ? read.Problem ?? "unreadable" : null;
        if (problem is not null)
        {
            Clear(dataDirectory);
        }

        return read.Value;
    }

    public static void Clear(string dataDirectory)
    {
        if (File.Exists(PathIn(dataDirectory)))
        {
            File.Delete(PathIn(dataDirectory));
        }
    }
}
