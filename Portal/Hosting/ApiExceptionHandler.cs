using Microsoft.AspNetCore.Diagnostics;
using Portal.Common;
using Portal.Security;

namespace Portal.Hosting;

/// <summary>
/// Every exception that escapes an <c>/api/v1</c> endpoint becomes a problem document (never the HTML error page):
/// binding errors 400 with what was wrong, a taken name 409, a full disk 507, a busy database 503, the rest 500 with a
/// trace id. Pages keep their error page.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!PortalAuthSchemes.IsApiRequest(httpContext.Request))
        {
            // Minimal API binding throws for pages' endpoints too (ThrowOnBadRequest): those keep their bare 400, not a 500 page.
            if (exception is BadHttpRequestException bad)
            {
                httpContext.Response.StatusCode = bad.StatusCode;
                return true;
            }

            return false;
        }

        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
            httpContext.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return true;
        }

        var problem = ExceptionProblems.For(exception);
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        var path = PlainText.Neutralize(httpContext.Request.Path.Value) ?? "";
        switch (status)
        {
            case >= 500 and not StatusCodes.Status507InsufficientStorage and not StatusCodes.Status503ServiceUnavailable:
                LogFailed(logger, httpContext.Request.Method, path, httpContext.TraceIdentifier, exception);
                break;
            case StatusCodes.Status507InsufficientStorage or StatusCodes.Status503ServiceUnavailable:
                LogStorage(logger, httpContext.Request.Method, path, problem.Title ?? "", exception.GetBaseException().Message);
                break;
            default:
                LogRefused(logger, httpContext.Request.Method, path, status, PlainText.Neutralize(problem.Detail) ?? "");
                break;
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = ExceptionProblems.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed (trace {TraceId})")]
    private static partial void LogFailed(ILogger logger, string method, string path, string traceId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed: {Problem} ({Reason})")]
    private static partial void LogStorage(ILogger logger, string method, string path, string problem, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} refused with {Status}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string method, string path, int status, string detail);
}
