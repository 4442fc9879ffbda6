using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Data.Postgres;
using Portal.Features.Telemetry;

namespace Portal.Bench;

/// <summary>
/// Telemetry ingestion on PostgreSQL: the portal's real <see cref="TelemetryWriter"/> fed by many devices at once,
/// against Npgsql binary COPY in 1,000-row transactions into the same table (both databases made by the real
/// PostgreSQL migrations). Needs a server: <c>telemetry-postgres "Host=127.0.0.1;Port=N;Username=postgres"</c>.
/// </summary>
internal static class TelemetryPostgresBench
{
    public static async Task RunAsync(string server, int devices, int batchesPerDevice, int rounds)
    {
        var workload = new TelemetryWorkload(devices, batchesPerDevice, samplesPerBatch: 10);
        var timed = workload.Rows - devices * 10L;
        Console.WriteLine($"PostgreSQL: {devices} devices × {batchesPerDevice} batches × 10 samples = {workload.Rows} rows; the first batch of every device is a warm-up, {timed} rows are timed.");
        Console.WriteLine("| round | path | rows | seconds | rows/s | rows/s vs COPY | CPU µs/row (this process) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        for (var round = 1; round <= rounds; round++)
        {
            var copy = await CopyAsync(server, workload, $"bench_copy_{round}");
            var writer = await WriterAsync(server, workload, $"bench_writer_{round}");
            Row(round, "Npgsql binary COPY, 1,000-row transactions", copy, copy);
            Row(round, $"TelemetryWriter.WriteAsync from {devices} concurrent devices", writer, copy);
        }
    }

    private sealed record Result(long Rows, double Seconds, double CpuSeconds);

    private static void Row(int round, string path, Result r, Result copy) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {round} | {path} | {r.Rows} | {r.Seconds:F2} | {r.Rows / r.Seconds:F0} | {r.Rows / r.Seconds / (copy.Rows / copy.Seconds):F2}× | {r.CpuSeconds * 1e6 / r.Rows:F1} |"));

    private static async Task<string> DatabaseAsync(string server, string name, TelemetryWorkload workload)
    {
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = $"{server};Database={name}";
        await using var db = new PostgresPortalDbContext(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(connection).Options);
        await db.Database.MigrateAsync();
        db.Devices.AddRange(workload.DeviceIds.Select(id => new Device { Id = id, Name = id, SecretHash = new string('0', 64), EnrolledAt = DateTimeOffset.UtcNow }));
        await db.SaveChangesAsync();
        return connection;
    }

    private static async Task<Result> WriterAsync(string server, TelemetryWorkload workload, string name)
    {
        var connection = await DatabaseAsync(server, name, workload);
        await using var services = new ServiceCollection().AddDbContextFactory<PortalDbContext>(o => o.UseNpgsql(connection)).BuildServiceProvider();
        using var writer = BenchWriter.Create(services.GetRequiredService<IDbContextFactory<PortalDbContext>>());
        await writer.StartAsync(CancellationToken.None);

        async Task SendAsync(int from, int to) =>
            await Task.WhenAll(workload.DeviceIds.Select((id, d) => Task.Run(async () =>
            {
                for (var b = from; b < to; b++)
                {
                    var batch = workload.Batches[d][b];
                    if (await writer.WriteAsync(id, batch, CancellationToken.None) != batch.Samples[^1].Sequence)
                    {
                        throw new InvalidOperationException($"{id}: a batch was not acknowledged");
                    }
                }
            })));

        await SendAsync(0, 1);
        var started = Stopwatch.GetTimestamp();
        var cpuStarted = Environment.CpuUsage.TotalTime;
        await SendAsync(1, workload.Batches[0].Length);
        var result = new Result(workload.Rows - workload.DeviceIds.Length * 10L, Stopwatch.GetElapsedTime(started).TotalSeconds,
            (Environment.CpuUsage.TotalTime - cpuStarted).TotalSeconds);
        await writer.StopAsync(CancellationToken.None);
        await CheckAsync(connection, workload.Rows);
        return result;
    }

    private static async Task<Result> CopyAsync(string server, TelemetryWorkload workload, string name)
    {
        var connectionString = await DatabaseAsync(server, name, workload);
        IEntityType entity;
        await using (var db = new PostgresPortalDbContext(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(connectionString).Options))
        {
            entity = db.Model.FindEntityType(typeof(TelemetryRecord))!;
        }

        var table = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Select(p => (Property: p, Column: p.GetColumnName(table)!, Type: p.GetColumnType())).ToArray();
        var copy = $"COPY \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Column}\""))}) FROM STDIN (FORMAT BINARY)";
        var rows = workload.Interleaved().Select(r => (r.DeviceId, r.Sample)).ToList();
        var warmUp = workload.DeviceIds.Length * 10;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        async Task CopyRowsAsync(int from, int to)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var importer = await connection.BeginBinaryImportAsync(copy))
            {
                for (var i = from; i < to; i++)
                {
                    var record = TelemetryWriter.ToRecord(rows[i].DeviceId, rows[i].Sample);
                    await importer.StartRowAsync();
                    foreach (var (property, _, type) in columns)
                    {
                        var value = property.GetGetter().GetClrValue(record);
                        if (value is null)
                        {
                            await importer.WriteNullAsync();
                        }
                        else
                        {
                            await importer.WriteAsync(value is DateTimeOffset at ? at.ToUniversalTime() : value, type);
                        }
                    }
                }

                await importer.CompleteAsync();
            }

            await transaction.CommitAsync();
        }

        await CopyRowsAsync(0, warmUp);
        var started = Stopwatch.GetTimestamp();
        var cpuStarted = Environment.CpuUsage.TotalTime;
        for (var i = warmUp; i < rows.Count; i += 1000)
        {
            await CopyRowsAsync(i, Math.Min(i + 1000, rows.Count));
        }

        var result = new Result(rows.Count - warmUp, Stopwatch.GetElapsedTime(started).TotalSeconds, (Environment.CpuUsage.TotalTime - cpuStarted).TotalSeconds);
        await CheckAsync(connectionString, workload.Rows);
        return result;
    }

    private static async Task CheckAsync(string connection, long expected)
    {
        await using var db = new PostgresPortalDbContext(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(connection).Options);
        var stored = await db.Telemetry.LongCountAsync();
        if (stored != expected)
        {
            throw new InvalidOperationException($"Stored {stored} rows, expected {expected}.");
        }
    }
}
