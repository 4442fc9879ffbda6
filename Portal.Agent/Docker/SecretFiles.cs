namespace Portal.Agent.Docker;

/// <summary>
/// Puts the secrets a container asked for as files into its own folder under the agent's secrets folder, which must be on
/// a tmpfs (memory, never disk), for a read-only bind mount at <c>/run/secrets</c>: Docker Swarm and Kubernetes hand
/// secrets to containers the same way. A bind of a host tmpfs, rather than a tmpfs inside the container filled at
/// start, outlives the container's own restarts (the engine's restart policy gives a container-side tmpfs back empty,
/// with no agent there to fill it) and needs no shell in the image. The values reach the container only through the
/// mount: not its environment, labels or command, and never the agent's log.
/// </summary>
internal static class SecretFiles
{
    /// <summary>Where a container finds the secrets it asked for.</summary>
    public const string MountPath = "/run/secrets";

    /// <returns>The folder to mount, or null when the spec asks for no secret files.</returns>
    public static string? Write(string? root, string containerName, IReadOnlyDictionary<string, string>? files)
    {
        if (files is not { Count: > 0 })
        {
            return null;
        }

        if (root is null)
        {
            throw new ContainerRuntimeException(
                "This container asks for secrets as files, and the agent has no secrets folder: set Agent:SecretsDirectory to a folder on a tmpfs.")
            { Retryable = false };
        }

        if (OperatingSystem.IsWindows())
        {
            throw new ContainerRuntimeException("Secrets as files need a Linux device (a tmpfs for Agent:SecretsDirectory).") { Retryable = false };
        }

        if (FileSystemOf(root) is var type && type != "tmpfs")
        {
            throw new ContainerRuntimeException(
                $"This container asks for secrets as files, and Agent:SecretsDirectory ({root}) is on {type ?? "an unknown file system"}, not a tmpfs: " +
                "secrets are never written to disk. Point it at a tmpfs (e.g. /run/portal-agent/secrets on systemd hosts, or /dev/shm/portal-agent).")
            { Retryable = false };
        }

        // Owner-only: other users of the host cannot list or reach the folders; the engine binds them as root.
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var folder = Path.Combine(root, containerName);
        Remove(root, containerName);
        // The container's own user may be anyone: inside the mount the files are readable, as Swarm's are (0444).
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var (name, value) in files)
        {
            // The portal allows plain names only; a name that still reaches outside the folder is skipped, not written.
            var path = Path.GetFullPath(Path.Combine(folder, name));
            if (Path.GetDirectoryName(path) == folder)
            {
                File.WriteAllText(path, value);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
        }

        return folder;
    }

    /// <summary>Forgets a container's secrets (it was removed or recreated).</summary>
    public static void Remove(string? root, string containerName)
    {
        if (root is null || containerName.Contains('/', StringComparison.Ordinal) || containerName is "" or "." or "..")
        {
            return;
        }

        var folder = Path.Combine(root, containerName);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The type of the file system holding <paramref name="path"/> (its longest mount point in /proc/mounts).</summary>
    public static string? FileSystemOf(string path)
    {
        if (!File.Exists("/proc/mounts"))
        {
            return null;
        }

        var full = Path.GetFullPath(path).TrimEnd('/') + "/";
        return File.ReadLines("/proc/mounts")
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length > 2)
            .Select(parts => (Mount: parts[1].Replace("\\040", " ", StringComparison.Ordinal).TrimEnd('/') + "/", Type: parts[2]))
            .Where(m => full.StartsWith(m.Mount, StringComparison.Ordinal))
            .OrderByDescending(m => m.Mount.Length)
            .Select(m => m.Type)
            .FirstOrDefault();
    }
}
