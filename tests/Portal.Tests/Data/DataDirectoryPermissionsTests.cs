using Microsoft.Data.Sqlite;
using Portal.Data;

namespace Portal.Tests.Data;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryPermissionsTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string root = Path.Combine(Path.GetTempPath(), "portal-data-tests", Guid.NewGuid().ToString("N"));

    private string Database => Path.Combine(root, "data", "portal.db");

    [Fact]
    public void PrepareSqliteFile_NewDatabase_FolderIs0700AndTheDatabaseAndItsWalFilesAre0600()
    {
        var connection = $"Data Source={Database};Pooling=False";

        DataDirectoryPermissions.PrepareSqliteFile(connection);
        using (var sqlite = new SqliteConnection(connection))
        {
            sqlite.Open();
            using var command = sqlite.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);";
            command.ExecuteNonQuery();

            Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(Database)!));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Database));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Database + "-wal"));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Database + "-shm"));
        }
    }

    [Fact]
    public void PrepareSqliteFile_DatabaseAnOlderPortalLeftReadable_IsMadeOwnerOnly()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Database)!);
        foreach (var file in new[] { Database, Database + "-wal" })
        {
            File.WriteAllBytes(file, []);
            File.SetUnixFileMode(file, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        DataDirectoryPermissions.PrepareSqliteFile($"Data Source={Database}");

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Database));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Database + "-wal"));
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=shared;Mode=Memory")]
    public void PrepareSqliteFile_InMemory_CreatesNoFile(string connection)
    {
        DataDirectoryPermissions.PrepareSqliteFile(connection);

        Assert.False(File.Exists("shared"));
        Assert.False(File.Exists(":memory:"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
