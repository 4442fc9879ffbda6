using Portal.Common;
using Portal.Shared.Devices;

namespace Portal.Hubs;

/// <summary>What the portal accepts as an inventory report: bounded strings and lists, no negative sizes.</summary>
internal static class InventoryRules
{
    private const int MaxText = 256;
    private const int MaxItems = 16;

    public static string? Problem(DeviceInventory? inventory)
    {
        if (inventory is null)
        {
            return "The inventory is empty.";
        }

        string?[] texts = [inventory.HostName, inventory.OperatingSystem, inventory.OsVersion, inventory.Architecture,
            inventory.CpuModel, inventory.AgentVersion, inventory.DockerVersion, inventory.OnnxRuntimeVersion];
        if (texts.Any(t => t?.Length > MaxText) || inventory.ExecutionProviders?.Any(p => p is null || p.Length > MaxText) == true
            || inventory.Gpus?.Any(g => g is null || g.Name?.Length > MaxText || g.DriverVersion?.Length > MaxText || g.MemoryBytes < 0) == true)
        {
            return $"An inventory text is missing or longer than {MaxText} characters, or a GPU entry is invalid.";
        }

        // NUL cannot be stored by PostgreSQL, and control or direction characters would forge what pages and logs show.
        if (texts.Any(t => !PlainText.IsClean(t)) || inventory.ExecutionProviders?.Any(p => !PlainText.IsClean(p)) == true
            || inventory.Gpus?.Any(g => !PlainText.IsClean(g.Name) || !PlainText.IsClean(g.DriverVersion)) == true
            || !PlainText.IsClean(inventory.DockerProblem, multiline: true))
        {
            return "An inventory text contains a control or invisible character.";
        }

        if (inventory.DockerProblem?.Length > 1000)
        {
            return "The Docker problem is longer than 1000 characters.";
        }

        if (inventory.CpuCores is < 0 or > 4096 || inventory.MemoryBytes < 0 || inventory.DiskTotalBytes < 0 || inventory.DiskFreeBytes < 0)
        {
            return "CPU cores, memory and disk sizes must not be negative.";
        }

        return (inventory.ExecutionProviders?.Count ?? 0) > MaxItems || (inventory.Gpus?.Count ?? 0) > MaxItems
            ? $"At most {MaxItems} execution providers and GPUs are accepted."
            : null;
    }
}
