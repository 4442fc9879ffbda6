using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>A portal started on a new data directory keeps its database and keys from other users of the machine.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryTests : IAsyncDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly PortalFactory portal = new() { Settings = { ["Portal:Database:Provider"] = "Sqlite" } };

    [Fact]
    public async Task Start_NewDataDirectory_FolderIs0700AndTheSqliteFilesAre0600()
    {
        using var client = portal.CreateClient();
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative), TestContext.Current.CancellationToken);
        ready.EnsureSuccessStatusCode();

        var database = Path.Combine(portal.DataDirectory, "portal.db");
        Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(portal.DataDirectory));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(database));
        // Write-ahead logging is on: the log and the shared-memory index take the database's mode. SQLite removes them when
        // the last connection closes (the portal's pool may have none open), so hold one open while looking.
        await using var held = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        await held.OpenAsync(TestContext.Current.CancellationToken);
        await using (var read = held.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM sqlite_master";
            await read.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(database + "-wal"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(database + "-shm"));
    }

    public ValueTask DisposeAsync() => portal.DisposeAsync();
}
