using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Telemetry;

namespace Portal.Bench;

/// <summary>
/// Telemetry ingestion: the portal's real <see cref="TelemetryWriter"/> (channel, one transaction per drained batch,
/// EF Core) fed by many devices at once, against raw prepared Microsoft.Data.Sqlite inserts in 1,000-row transactions
/// into the same table (both files made by the real migrations, so columns, keys, indexes and the foreign key match).
/// </summary>
internal static class TelemetryBench
{
    public static async Task RunAsync(int devices, int batchesPerDevice, int rounds)
    {
        var workload = new TelemetryWorkload(devices, batchesPerDevice, samplesPerBatch: 10);
        var timedRows = workload.Rows - devices * 10L;
        Console.WriteLine($"{devices} devices × {batchesPerDevice} batches × 10 samples = {workload.Rows} rows; the first batch of every device is a warm-up, {timedRows} rows are timed.");
        // Rows/s is what the target is about; CPU per row is steadier on a shared machine (another process's load
        // stretches the wall clock of whichever row it lands on, much less the CPU each row takes).
        Console.WriteLine("| round | path | rows | seconds | rows/s | transactions | rows/s vs raw | CPU µs/row | CPU vs raw |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        var folder = Directory.CreateTempSubdirectory("portal-bench-telemetry-");
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                var raw = await RawAsync(Path.Combine(folder.FullName, $"raw-{round}.db"), workload);
                var writer = await WriterAsync(Path.Combine(folder.FullName, $"writer-{round}.db"), workload);
                var saveChanges = await OneCallerAsync(Path.Combine(folder.FullName, $"savechanges-{round}.db"), workload, prepared: false);
                var inserter = await OneCallerAsync(Path.Combine(folder.FullName, $"inserter-{round}.db"), workload, prepared: true);
                Row(round, "raw Microsoft.Data.Sqlite, prepared INSERT, 1,000-row transactions", raw, raw);
                Row(round, "EF Core AddRange + SaveChanges, 2,000-row transactions, one caller (the writer's old path)", saveChanges, raw);
                Row(round, "RowInserter (the writer's prepared INSERT), 2,000-row transactions, one caller", inserter, raw);
                Row(round, $"TelemetryWriter.WriteAsync from {devices} concurrent devices", writer, raw);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <param name="CpuSeconds">This process's CPU time (every thread: callers, EF, SQLite) while the rows went in.</param>
    private sealed record Result(long Rows, double Seconds, double CpuSeconds, long Transactions)
    {
        public double PerSecond => Rows / Seconds;

        public double CpuMicrosPerRow => CpuSeconds * 1e6 / Rows;
    }

    private static void Row(int round, string path, Result r, Result raw) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {round} | {path} | {r.Rows} | {r.Seconds:F2} | {r.PerSecond:F0} | {r.Transactions} | {r.PerSecond / raw.PerSecond:F2}× | {r.CpuMicrosPerRow:F1} | {r.CpuMicrosPerRow / raw.CpuMicrosPerRow:F2}× |"));

    private static async Task<ServiceProvider> DatabaseAsync(string file, TelemetryWorkload workload, CommitCounter commits)
    {
        // What AddPortalData registers for SQLite: a factory handing out one context per operation on the file.
        var services = new ServiceCollection()
            .AddDbContextFactory<PortalDbContext>(o => o.UseSqlite($"Data Source={file}").AddInterceptors(commits))
            .BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        db.Devices.AddRange(workload.DeviceIds.Select(id => new Device { Id = id, Name = id, SecretHash = new string('0', 64), EnrolledAt = DateTimeOffset.UtcNow }));
        await db.SaveChangesAsync();
        commits.Reset();
        return services;
    }

    private static async Task<Result> WriterAsync(string file, TelemetryWorkload workload)
    {
        var commits = new CommitCounter();
        await using var services = await DatabaseAsync(file, workload, commits);
        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        using var writer = BenchWriter.Create(factory);
        await writer.StartAsync(CancellationToken.None);

        async Task SendAsync(int from, int to)
        {
            await Task.WhenAll(workload.DeviceIds.Select((id, d) => Task.Run(async () =>
            {
                for (var b = from; b < to; b++)
                {
                    var batch = workload.Batches[d][b];
                    var acknowledged = await writer.WriteAsync(id, batch, CancellationToken.None);
                    if (acknowledged != batch.Samples[^1].Sequence)
                    {
                        throw new InvalidOperationException($"{id}: acknowledged {acknowledged}, sent up to {batch.Samples[^1].Sequence}");
                    }
                }
            })));
        }

        await SendAsync(0, 1);
        commits.Reset();
        var started = Stopwatch.GetTimestamp();
        var cpuStarted = Environment.CpuUsage.TotalTime;
        await SendAsync(1, workload.Batches[0].Length);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = (Environment.CpuUsage.TotalTime - cpuStarted).TotalSeconds;
        var transactions = commits.Count;
        await writer.StopAsync(CancellationToken.None);
        await CheckCountAsync(file, workload.Rows);
        return new Result(workload.Rows - workload.DeviceIds.Length * 10L, seconds, cpu, transactions);
    }

    /// <summary>
    /// The database half of the writer without its channel and callers: per 2,000 rows (what one drain of 200 requests
    /// carries) a fresh context and either the writer's prepared insert or what it did before (AddRange, SaveChanges).
    /// </summary>
    private static async Task<Result> OneCallerAsync(string file, TelemetryWorkload workload, bool prepared)
    {
        var commits = new CommitCounter();
        await using var services = await DatabaseAsync(file, workload, commits);
        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var rows = workload.Interleaved().Select(r => TelemetryWriter.ToRecord(r.DeviceId, r.Sample)).ToList();
        var warmUp = workload.DeviceIds.Length * 10;

        async Task SaveAsync(int from, int to)
        {
            await using var db = await factory.CreateDbContextAsync();
            if (prepared)
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                await RowInserter<TelemetryRecord>.For(db).InsertAsync(db, rows.Skip(from).Take(to - from), CancellationToken.None);
                await transaction.CommitAsync();
            }
            else
            {
                db.Telemetry.AddRange(rows.Skip(from).Take(to - from));
                await db.SaveChangesAsync();
            }
        }

        await SaveAsync(0, warmUp);
        commits.Reset();
        var started = Stopwatch.GetTimestamp();
        var cpuStarted = Environment.CpuUsage.TotalTime;
        for (var i = warmUp; i < rows.Count; i += 2000)
        {
            await SaveAsync(i, Math.Min(i + 2000, rows.Count));
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = (Environment.CpuUsage.TotalTime - cpuStarted).TotalSeconds;
        await CheckCountAsync(file, workload.Rows);
        return new Result(rows.Count - warmUp, seconds, cpu, commits.Count);
    }

    private static async Task<Result> RawAsync(string file, TelemetryWorkload workload)
    {
        var commits = new CommitCounter();
        await using (await DatabaseAsync(file, workload, commits))
        {
        }

        var converter = new DateTimeOffsetToBinaryConverter();
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO "Telemetry" ("DeviceId", "Sequence", "At", "CpuPercent", "MemoryUsedBytes", "MemoryTotalBytes",
                "DiskUsedBytes", "DiskTotalBytes", "LoadAverage1m", "NetworkReceivedBytes", "NetworkSentBytes",
                "TemperatureCelsius", "GpuPercent", "GpuMemoryUsedBytes")
            VALUES ($d, $s, $at, $cpu, $mu, $mt, $du, $dt, $load, $rx, $tx, $temp, $gpu, $gpum)
            """;
        var p = new[] { "$d", "$s", "$at", "$cpu", "$mu", "$mt", "$du", "$dt", "$load", "$rx", "$tx", "$temp", "$gpu", "$gpum" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        insert.Prepare();

        var rows = workload.Interleaved().ToList();
        var warmUp = workload.DeviceIds.Length * 10;
        // The warm-up (every device's first batch) goes in as one transaction of its own; then 1,000-row transactions.
        await InsertAsync(connection, insert, p, converter, rows, 0, warmUp);
        long transactions = 0;
        var started = Stopwatch.GetTimestamp();
        var cpuStarted = Environment.CpuUsage.TotalTime;
        for (var i = warmUp; i < rows.Count; i += 1000)
        {
            await InsertAsync(connection, insert, p, converter, rows, i, Math.Min(i + 1000, rows.Count));
            transactions++;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = (Environment.CpuUsage.TotalTime - cpuStarted).TotalSeconds;
        await CheckCountAsync(file, workload.Rows);
        return new Result(rows.Count - warmUp, seconds, cpu, transactions);
    }

    private static async Task InsertAsync(SqliteConnection connection, SqliteCommand insert, SqliteParameter[] p,
        DateTimeOffsetToBinaryConverter converter, List<(string DeviceId, Portal.Shared.Telemetry.TelemetrySample Sample)> rows, int from, int to)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        insert.Transaction = transaction;
        for (var r = from; r < to; r++)
        {
            var (deviceId, s) = rows[r];
            p[0].Value = deviceId;
            p[1].Value = s.Sequence;
            p[2].Value = converter.ConvertToProvider(s.At);
            p[3].Value = s.CpuPercent;
            p[4].Value = s.MemoryUsedBytes;
            p[5].Value = s.MemoryTotalBytes;
            p[6].Value = s.DiskUsedBytes;
            p[7].Value = s.DiskTotalBytes;
            p[8].Value = s.LoadAverage1m;
            p[9].Value = s.NetworkReceivedBytes;
            p[10].Value = s.NetworkSentBytes;
            p[11].Value = (object?)s.TemperatureCelsius ?? DBNull.Value;
            p[12].Value = (object?)s.GpuPercent ?? DBNull.Value;
            p[13].Value = (object?)s.GpuMemoryUsedBytes ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task CheckCountAsync(string file, long expected)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM \"Telemetry\"";
        var stored = (long)(await count.ExecuteScalarAsync())!;
        if (stored != expected)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} holds {stored} telemetry rows, expected {expected}");
        }
    }

    /// <summary>Counts committed transactions, to show how many rows each of the writer's transactions carried.</summary>
    private sealed class CommitCounter : DbTransactionInterceptor
    {
        private long count;

        public long Count => Interlocked.Read(ref count);

        public void Reset() => Interlocked.Exchange(ref count, 0);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref count);
            return Task.CompletedTask;
        }

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref count);
    }
}
