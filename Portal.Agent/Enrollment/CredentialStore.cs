using System.Text.Json;
using Portal.Agent.Storage;

namespace Portal.Agent.Enrollment;

/// <summary>
/// Reads and writes <c>credentials.json</c> in the data directory, readable by the agent's user only, durably and with
/// a last good copy (<c>credentials.json.bak</c>) that a damaged file falls back to.
/// </summary>
public sealed class CredentialStore(string dataDirectory)
{
    public const string FileName = "credentials.json";

    public string FilePath { get; } = Path.Combine(Path.GetFullPath(dataDirectory), FileName);

    /// <summary>The saved credentials, whether the file was damaged (its copy read instead), or that none can be read.</summary>
    public DurableRead<AgentCredentials> Load() => DurableFile.ReadJson<AgentCredentials>(FilePath, JsonSerializerOptions.Web, IsComplete);

    public void Save(AgentCredentials credentials) => DurableFile.WriteJson(FilePath, credentials, JsonSerializerOptions.Web);

    /// <summary>A file cut short or overwritten can still parse: each field must be there and make sense.</summary>
    private static bool IsComplete(AgentCredentials c) =>
        !string.IsNullOrWhiteSpace(c.DeviceId) && !string.IsNullOrWhiteSpace(c.DeviceSecret) && !c.DeviceSecret.Any(char.IsWhiteSpace)
        && Uri.TryCreate(c.PortalUrl, UriKind.Absolute, out _);
}
