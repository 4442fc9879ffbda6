using Microsoft.AspNetCore.Http.HttpResults;

namespace Portal.Common;

internal static class ApiProblems
{
    /// <summary>200 with the operation's value, or its problem details.</summary>
    public static Results<Ok<T>, ProblemHttpResult> OkOr<T>(OperationResult<T> result) =>
        result.Succeeded ? TypedResults.Ok(result.Value!) : For(result.Outcome, result.Error);

    /// <summary>RFC 7807 problem details for a failed operation, with the operation's own sentence as detail.</summary>
    public static ProblemHttpResult For(OperationOutcome outcome, string? detail) => outcome switch
    {
        OperationOutcome.NotFound => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        OperationOutcome.Conflict => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Not allowed in the current state"),
        OperationOutcome.TooLarge => TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large"),
        OperationOutcome.InsufficientStorage => TypedResults.Problem(detail, statusCode: StatusCodes.Status507InsufficientStorage, title: "Out of disk space"),
        OperationOutcome.Unauthorized => TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Not accepted"),
        OperationOutcome.Forbidden => TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed for you"),
        _ => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid"),
    };
}
