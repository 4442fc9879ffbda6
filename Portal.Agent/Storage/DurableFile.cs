using System.Text.Json;

namespace Portal.Agent.Storage;

/// <summary>
/// The agent's files on disk, written so that a power cut leaves either the old content or the new one, never half of
/// either: write a temporary file, fsync it, rename it over the old one, fsync the folder. Each write also refreshes a
/// last good copy (<c>NAME.bak</c>) that a read falls back to when the file itself is damaged. Files are created
/// readable by the agent's user only (0600), folders 0700.
/// </summary>
public static class DurableFile
{
    public const string BackupSuffix = ".bak";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder (and any missing parent) as 0700; an existing folder is left as it is.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }

    public static void WriteJson<T>(string path, T value, JsonSerializerOptions options, bool keepBackup = true) =>
        Write(path, JsonSerializer.SerializeToUtf8Bytes(value, options), keepBackup);

    public static void WriteLines(string path, IEnumerable<string> lines) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))), keepBackup: false);

    /// <summary>Replaces the file's content durably, then the last good copy with the same content.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, bool keepBackup = true)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CreateDirectory(directory);
        Replace(path, content);
        if (keepBackup)
        {
            Replace(path + BackupSuffix, content);
        }

        DirectorySync.Flush(directory);
    }

    /// <summary>
    /// Reads the file; when it exists but cannot be read as a <typeparamref name="T"/> that <paramref name="valid"/>
    /// accepts, reads the last good copy instead. A missing file is <see cref="DurableReadOutcome.Missing"/> (never the
    /// copy: deleting a file is a decision, a damaged one is an accident).
    /// </summary>
    public static DurableRead<T> ReadJson<T>(string path, JsonSerializerOptions options, Func<T, bool>? valid = null) where T : class
    {
        if (!File.Exists(path))
        {
            return new DurableRead<T>(DurableReadOutcome.Missing, null, null);
        }

        RestrictToOwner(path);
        if (TryRead(path, options, valid, out var value, out var problem))
        {
            return new DurableRead<T>(DurableReadOutcome.Read, value, null);
        }

        var backup = path + BackupSuffix;
        if (File.Exists(backup) && TryRead(backup, options, valid, out var copy, out _))
        {
            return new DurableRead<T>(DurableReadOutcome.ReadFromBackup, copy, problem);
        }

        return new DurableRead<T>(DurableReadOutcome.Damaged, null, problem);
    }

    /// <summary>Takes group and other access away from a file an older agent wrote with the default mode.</summary>
    public static void RestrictToOwner(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ~OwnerOnlyFile) != 0)
            {
                File.SetUnixFileMode(path, mode & OwnerOnlyFile);
            }
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's file (root's, say): reading it may still work, and the next write replaces it with ours.
        }
    }

    private static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        try
        {
            using var stream = new FileStream(temporary, options);
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // A full disk: the old file stays as it was, and no half-written temporary file takes space.
            File.Delete(temporary);
            throw;
        }

        // A temporary file left by a crash keeps its old mode (FileMode.Create does not change it).
        RestrictToOwner(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    private static bool TryRead<T>(string path, JsonSerializerOptions options, Func<T, bool>? valid, out T? value, out string problem) where T : class
    {
        value = null;
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0)
            {
                problem = "the file is empty";
                return false;
            }

            value = JsonSerializer.Deserialize<T>(bytes, options);
            if (value is null || (valid is not null && !valid(value)))
            {
                problem = "the file does not hold what it should";
                value = null;
                return false;
            }

            problem = "";
            return true;
        }
        catch (JsonException ex)
        {
            problem = $"the file is not valid JSON ({ex.Message})";
            return false;
        }
        catch (IOException ex)
        {
            // A bad sector reads as an I/O error: the copy sits elsewhere on the disk.
            problem = $"the file cannot be read ({ex.Message})";
            return false;
        }
    }
}
