using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Data;

namespace Portal.Features.Deployments;

/// <summary>
/// Serializes "is this already deployed? if not, create it" for one workload, across requests and across portal
/// instances: a transaction that holds a PostgreSQL advisory lock on the workload's key (released at commit or
/// rollback), or on SQLite an immediate transaction, which takes the database's write lock before the check reads.
/// Without it, twenty identical requests at once all saw "not deployed yet" and each created a deployment.
/// </summary>
internal static class DeploymentLock
{
    public static async Task<IDbContextTransaction> AcquireAsync(PortalDbContext db, string workload, CancellationToken ct)
    {
        // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE unless asked for a deferred transaction.
        var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            var key = KeyOf(workload);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
        }

        return transaction;
    }

    /// <summary>A stable 64-bit key per workload (the same on every instance).</summary>
    public static long KeyOf(string workload) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("portal/deployments/" + workload)));
}
