using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Portal.Testing;

/// <summary>
/// Where a test portal keeps its data. SQLite (a file in its data directory) unless PORTAL_TEST_DATABASE=Postgres,
/// when each data directory gets its own database on the private server ./test.sh starts (PORTAL_TEST_POSTGRES),
/// so a portal restarted on the same data directory finds its data again.
/// </summary>
internal static class TestDatabases
{
    public static bool UsePostgres =>
        string.Equals(Environment.GetEnvironmentVariable("PORTAL_TEST_DATABASE"), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The PostgreSQL server's connection string without a database; null when ./test.sh did not start one.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable("PORTAL_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>The Redis server ./test.sh started (host:port); null when there is none.</summary>
    public static string? RedisServer => Environment.GetEnvironmentVariable("PORTAL_TEST_REDIS") is { Length: > 0 } s ? s : null;

    /// <summary>The settings that put a portal with this data directory on PostgreSQL (creating its database), or none.</summary>
    public static IReadOnlyDictionary<string, string> SettingsFor(string dataDirectory, bool postgres)
    {
        if (!postgres)
        {
            return new Dictionary<string, string>();
        }

        var server = PostgresServer ?? throw new InvalidOperationException(
            "PORTAL_TEST_DATABASE=Postgres needs PORTAL_TEST_POSTGRES (a server connection string); ./test.sh starts one.");
        var database = DatabaseName(dataDirectory);
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", database);
            if (exists.ExecuteScalar() is null)
            {
                using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                create.ExecuteNonQuery();
            }
        }

        return new Dictionary<string, string>
        {
            ["Portal:Database:Provider"] = "Postgres",
            ["ConnectionStrings:Portal"] = $"{server};Database={database}",
        };
    }

    public static void Drop(string dataDirectory)
    {
        if (PostgresServer is not { } server)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName(dataDirectory)}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    private static string DatabaseName(string dataDirectory) =>
        "portal_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..16];
}
