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

    /// <summary>
    /// A running live-config container's folder brought up to <paramref name="files"/>: a changed or new file is written
    /// beside and renamed over the old one (a reader sees the old text or the new, never half), a file no longer listed
    /// goes. The folder itself stays (the container has it mounted); one not made yet is left to <see cref="Write"/>.
    /// </summary>
    /// <returns>Whether anything changed.</returns>
    public static bool Sync(string? root, string containerName, IReadOnlyDictionary<string, string>? files)
    {
        var folder = root is null ? null : Path.Combine(root, containerName);
        if (folder is null || !Directory.Exists(folder))
        {
            return false;
        }

        var changed = false;
        var wanted = files ?? new Dictionary<string, string>();
        foreach (var (name, text) in wanted)
        {
            var path = Path.GetFullPath(Path.Combine(folder, name));
            if (Path.GetDirectoryName(path) != folder || (File.Exists(path) && File.ReadAllText(path) == text))
            {
                continue;
            }

            var temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
            changed = true;
        }

        foreach (var stale in Directory.EnumerateFiles(folder).Where(p => !wanted.ContainsKey(Path.GetFileName(p))))
        {
            File.Delete(stale);
            changed = true;
        }

        return changed;
    }
}
