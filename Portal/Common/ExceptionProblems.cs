using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Common;

/// <summary>
/// Turns an exception that escaped an API endpoint into a problem document a person can act on. Pure: the handler
/// writes it, tests read it. Details never carry server paths, SQL or stack traces.
/// </summary>
public static class ExceptionProblems
{
    public const int RetryAfterSeconds = 5;

    public static ProblemDetails For(Exception exception) => exception switch
    {
        BadHttpRequestException bad => BadRequest(bad),
        _ => Classify(exception),
    };

    private static ProblemDetails Classify(Exception exception) => StorageFailures.Classify(exception) switch
    {
        StorageFailure.UniqueViolation => Problem(StatusCodes.Status409Conflict, "Already exists",
            "Something with the same name or key already exists (or another request created it at the same moment). Choose another name, or reload and edit the existing one."),
        StorageFailure.ForeignKeyViolation => Problem(StatusCodes.Status409Conflict, "Changed meanwhile",
            "Something this change refers to was removed meanwhile. Reload and try again."),
        StorageFailure.InvalidText => Problem(StatusCodes.Status400BadRequest, "The request is not valid",
            "The request contains text the database cannot store (a NUL or other control character). Remove it and try again."),
        StorageFailure.DiskFull => Problem(StatusCodes.Status507InsufficientStorage, "Storage full",
            "The portal's data disk is full, so nothing was saved. Ask an administrator to free space in the data directory (old model versions, telemetry retention) and try again."),
        StorageFailure.Unavailable => Problem(StatusCodes.Status503ServiceUnavailable, "Database busy",
            $"The database is busy or unreachable right now; nothing was changed. Try again in {RetryAfterSeconds} seconds."),
        _ => Problem(StatusCodes.Status500InternalServerError, "Unexpected error",
            "The portal failed to handle this request; nothing you can change in the request will fix it. The error is logged with the trace id below: give it to an administrator."),
    };

    private static ProblemDetails BadRequest(BadHttpRequestException bad)
    {
        var detail = bad.InnerException is JsonException json ? Json(json)
            : bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is larger than the portal accepts (Portal:Security:MaxRequestBodyMb)."
            : bad.Message;
        return Problem(bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Too large" : "The request is not valid", detail);
    }

    private static string Json(JsonException json)
    {
        var where = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "the request body" : $"'{json.Path}'";
        // The portal's own converters explain themselves (an enum's allowed names); the serializer's texts name .NET types.
        var own = json.Message is { } message && !message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            && !message.Contains("LineNumber", StringComparison.Ordinal) && !message.StartsWith("'$", StringComparison.Ordinal);
        return own ? $"The value of {where} is not valid: {json.Message}"
            : $"The request body is not valid JSON for this operation. {JsonErrorText.Describe(json)}";
    }

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
