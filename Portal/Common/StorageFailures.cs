using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Portal.Common;

/// <summary>
/// Classifies exceptions from SQLite, PostgreSQL and the file system by what they mean to a caller, looking through
/// wrappers (<c>DbUpdateException</c>, <c>BadHttpRequestException</c>) to the provider's own error code.
/// </summary>
public static class StorageFailures
{
    // SQLite's primary result codes (sqlite.org/rescode.html).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteFull = 13;
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    // errno ENOSPC and EDQUOT on Linux (.NET puts the raw errno in HResult there); ERROR_HANDLE_DISK_FULL and
    // ERROR_DISK_FULL on Windows (as HRESULTs, 0x8007xxxx).
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int WindowsDiskFull = unchecked((int)0x80070070);

    public static StorageFailure Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var failure = e switch
            {
                SqliteException sqlite => FromSqlite(sqlite),
                PostgresException postgres => FromPostgres(postgres.SqlState),
                NpgsqlException { IsTransient: true } => StorageFailure.Unavailable,
                IOException io when IsDiskFull(io) => StorageFailure.DiskFull,
                DbException db when db.IsTransient => StorageFailure.Unavailable,
                _ => StorageFailure.None,
            };
            if (failure != StorageFailure.None)
            {
                return failure;
            }
        }

        return StorageFailure.None;
    }

    public static bool IsUniqueViolation(Exception exception) => Classify(exception) == StorageFailure.UniqueViolation;

    public static bool IsDiskFull(IOException io) => io.HResult is Enospc or Edquot or WindowsHandleDiskFull or WindowsDiskFull;

    private static StorageFailure FromSqlite(SqliteException e) => (e.SqliteErrorCode, e.SqliteExtendedErrorCode) switch
    {
        (SqliteConstraint, SqliteConstraintUnique or SqliteConstraintPrimaryKey) => StorageFailure.UniqueViolation,
        (SqliteConstraint, SqliteConstraintForeignKey) => StorageFailure.ForeignKeyViolation,
        (SqliteFull, _) => StorageFailure.DiskFull,
        (SqliteBusy or SqliteLocked, _) => StorageFailure.Unavailable,
        _ => StorageFailure.None,
    };

    // PostgreSQL's SQLSTATE codes (postgresql.org/docs/current/errcodes-appendix.html).
    private static StorageFailure FromPostgres(string state) => state switch
    {
        "23505" => StorageFailure.UniqueViolation,
        "23503" => StorageFailure.ForeignKeyViolation,
        "22021" or "22P05" => StorageFailure.InvalidText,
        "53100" => StorageFailure.DiskFull,
        "40001" or "40P01" or "53300" or "55P03" or "57P01" or "57P02" or "57P03" => StorageFailure.Unavailable,
        _ when state.StartsWith("08", StringComparison.Ordinal) => StorageFailure.Unavailable,
        _ => StorageFailure.None,
    };
}
