using System.Text.Json;

namespace Portal.Agent.Enrollment;

/// <summary>Reads and writes <c>credentials.json</c> in the data directory, readable by the agent's user only.</summary>
public sealed class CredentialStore(string dataDirectory)
{
    public string FilePath { get; } = Path.Combine(Path.GetFullPath(dataDirectory), "credentials.json");

    public AgentCredentials? Load()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        return JsonSerializer.Deserialize<AgentCredentials>(File.ReadAllText(FilePath), JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{FilePath} is empty or damaged. Delete it and enroll the device again.");
    }

    /// <summary>Writes to a temporary file first and renames it, so a crash never leaves half a secret behind.</summary>
    public void Save(AgentCredentials credentials)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, credentials, JsonSerializerOptions.Web);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }
}
