using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Common;
using Portal.Shared.Deployments;

namespace Portal.Tests.Common;

public sealed class ExceptionProblemsTests
{
    [Fact]
    public void For_IoExceptionWithEnospc_Is507()
    {
        var problem = ExceptionProblems.For(new IOException("No space left on device : '/var/lib/portal/data/artifacts/tmp'", 28));

        Assert.Equal(StatusCodes.Status507InsufficientStorage, problem.Status);
        Assert.Contains("disk is full", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("/var/lib", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void For_SqliteFullInsideDbUpdateException_Is507()
    {
        var exception = new DbUpdateException("An error occurred while saving", new SqliteException("SQLite Error 13: 'database or disk is full'.", 13));

        Assert.Equal(StatusCodes.Status507InsufficientStorage, ExceptionProblems.For(exception).Status);
    }

    [Fact]
    public void For_PostgresDiskFull_Is507() =>
        Assert.Equal(StatusCodes.Status507InsufficientStorage, ExceptionProblems.For(Postgres("53100")).Status);

    [Theory]
    [InlineData(2067)]
    [InlineData(1555)]
    public void For_SqliteUniqueViolation_Is409(int extended)
    {
        var exception = new DbUpdateException("save failed", new SqliteException("UNIQUE constraint failed: Groups.Name", 19, extended));

        var problem = ExceptionProblems.For(exception);

        Assert.Equal(StatusCodes.Status409Conflict, problem.Status);
        Assert.Contains("already exists", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void For_PostgresUniqueViolation_Is409() =>
        Assert.Equal(StatusCodes.Status409Conflict, ExceptionProblems.For(Postgres("23505")).Status);

    [Fact]
    public void For_OtherConstraintFailure_IsNotCalledAlreadyExists()
    {
        // A NOT NULL or CHECK failure (SQLITE_CONSTRAINT without the unique code) is a bug, not a taken name.
        var problem = ExceptionProblems.For(new DbUpdateException("save failed", new SqliteException("NOT NULL constraint failed", 19, 1299)));

        Assert.Equal(StatusCodes.Status500InternalServerError, problem.Status);
        Assert.DoesNotContain("already exists", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void For_PostgresNulInText_Is400() =>
        Assert.Equal(StatusCodes.Status400BadRequest, ExceptionProblems.For(Postgres("22021")).Status);

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void For_SqliteBusyOrLocked_Is503(int code) =>
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, ExceptionProblems.For(new SqliteException("database is locked", code)).Status);

    [Fact]
    public void For_UnknownException_Is500WithoutItsMessage()
    {
        var problem = ExceptionProblems.For(new InvalidOperationException("connection string Password=hunter2"));

        Assert.Equal(StatusCodes.Status500InternalServerError, problem.Status);
        Assert.DoesNotContain("hunter2", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("trace id", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void For_BindingErrorOfAnEnum_SaysWhichValuesWork()
    {
        var json = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RolloutStrategy>("""{"kind":"Rollin"}""", JsonSerializerOptions.Web));
        var bad = new BadHttpRequestException("Failed to read parameter \"RolloutStrategy request\" from the request body as JSON.", json);

        var problem = ExceptionProblems.For(bad);

        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
        Assert.Equal("The value of '$.kind' is not valid: 'Rollin' is not a RolloutKind: use one of AllAtOnce, Rolling.", problem.Detail);
    }

    [Fact]
    public void For_BindingErrorOfWrongType_NamesThePath()
    {
        var json = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RolloutStrategy>("""{"batchSize":"five"}""", JsonSerializerOptions.Web));

        var problem = ExceptionProblems.For(new BadHttpRequestException("Failed to read parameter", json));

        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
        Assert.Contains("(at batchSize): the value has the wrong type or is out of range: a whole number is expected here", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Int32", problem.Detail, StringComparison.Ordinal);
    }

    private static PostgresException Postgres(string sqlState) => new("message", "ERROR", "ERROR", sqlState);
}
