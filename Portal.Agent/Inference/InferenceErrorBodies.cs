using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Agent.Inference;

/// <summary>
/// Middleware: no error leaves the inference endpoint without a <c>{"error": "..."}</c> body. An unknown route or
/// method gets one that says what exists; an exception nothing else caught is logged and answered 500 with its type,
/// and the endpoint keeps serving.
/// </summary>
public static partial class InferenceErrorBodies
{
    private const string Routes = "GET /v2, /v2/health/live, /v2/health/ready, /v2/models/{name}[/versions/{v}][/ready]; POST /v2/models/{name}[/versions/{v}]/infer";

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogUnexpected(logger, context.Request.Method, context.Request.Path, ex);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await InferenceEndpoints.Error(500, $"The request failed unexpectedly ({ex.GetType().Name}); the endpoint keeps serving. The agent's log has the details.").ExecuteAsync(context);
            }

            return;
        }

        var status = context.Response.StatusCode;
        if (status >= 400 && !context.Response.HasStarted && context.Response.ContentLength is null or 0)
        {
            var message = status switch
            {
                404 => $"There is no route {context.Request.Path}. The routes are: {Routes}.",
                405 => $"{context.Request.Method} is not allowed on {context.Request.Path}. The routes are: {Routes}.",
                _ => $"{ReasonPhrases.GetReasonPhrase(status)}.",
            };
            await InferenceEndpoints.Error(status, message).ExecuteAsync(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Inference request {Method} {Path} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string method, PathString path, Exception exception);
}
