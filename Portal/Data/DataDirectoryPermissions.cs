using Microsoft.Data.Sqlite;

namespace Portal.Data;

/// <summary>
/// The data directory holds the database (password and secret hashes, encrypted parameters), the signing keys and the
/// artifacts: on Unix it is created 0700, and the SQLite file 0600 before SQLite first opens it (its -wal and -shm files
/// take the database file's mode). A database file an older portal left readable by others is made owner-only.
/// </summary>
internal static class DataDirectoryPermissions
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyFile | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Creates the connection string's database file owner-only, unless it is in memory.</summary>
    public static void PrepareSqliteFile(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (OperatingSystem.IsWindows() || builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(source)
            || source == ":memory:" || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var path = Path.GetFullPath(source);
        if (!File.Exists(path))
        {
            CreateDirectory(Path.GetDirectoryName(path)!);
            // An empty file is an empty SQLite database; created here, it gets the mode SQLite would not give it.
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile });
            return;
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
        {
            var mode = File.GetUnixFileMode(file);
            if ((mode & ~OwnerOnlyFile) != 0)
            {
                File.SetUnixFileMode(file, mode & OwnerOnlyFile);
            }
        }
    }
}
