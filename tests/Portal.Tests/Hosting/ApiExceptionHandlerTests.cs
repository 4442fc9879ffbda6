using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Hosting;

namespace Portal.Tests.Hosting;

public sealed class ApiExceptionHandlerTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Handle_ApiRequestWithDiskFull_Writes507ProblemJson()
    {
        var (context, body) = Request("/api/v1/groups");

        Assert.True(await Handler(context).TryHandleAsync(context, new IOException("No space left on device", 28), ct));

        Assert.Equal(StatusCodes.Status507InsufficientStorage, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        using var problem = JsonDocument.Parse(body.ToArray());
        Assert.Equal(507, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Handle_PageBindingFailure_KeepsItsStatusInsteadOfTheErrorPage()
    {
        var (context, _) = Request("/Account/Logout");

        Assert.True(await Handler(context).TryHandleAsync(context, new BadHttpRequestException("Expected a form", StatusCodes.Status415UnsupportedMediaType), ct));

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, context.Response.StatusCode);
    }

    [Fact]
    public async Task Handle_PageFailure_IsLeftToTheErrorPage()
    {
        var (context, _) = Request("/devices");

        Assert.False(await Handler(context).TryHandleAsync(context, new InvalidOperationException("page bug"), ct));
    }

    private static ApiExceptionHandler Handler(HttpContext context) =>
        new(context.RequestServices.GetRequiredService<IProblemDetailsService>(), NullLogger<ApiExceptionHandler>.Instance);

    private static (DefaultHttpContext Context, MemoryStream Body) Request(string path)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = path;
        context.Request.Headers.Accept = "application/json";
        context.Response.Body = body;
        return (context, body);
    }
}
