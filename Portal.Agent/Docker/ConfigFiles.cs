namespace Portal.Agent.Docker;

/// <summary>
/// Writes a container's config files to its own folder under the agent's data folder, replacing what an earlier spec
/// left there, for a read-only bind mount at <c>/appconfig</c>. Config is not secret (secrets travel as environment),
/// so the files are readable by the container's user whoever that is.
/// </summary>
internal static class ConfigFiles
{
    /// <returns>The folder to mount, or null when the spec has no files (or the runtime keeps none).</returns>
    public static string? Write(string? root, string containerName, IReadOnlyDictionary<string, string>? files)
    {
        if (root is null || files is not { Count: > 0 })
        {
            return null;
        }

        var folder = Path.Combine(root, containerName);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files)
        {
            // The portal allows plain names only; a name that still reaches outside the folder is skipped, not written.
            var path = Path.GetFullPath(Path.Combine(folder, name));
            if (Path.GetDirectoryName(path) == folder)
            {
                File.WriteAllText(path, text);
            }
        }

        return folder;
    }
}
