using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace Portal.Agent.Docker;

/// <summary>Turns Docker.DotNet's and the transport's exceptions into <see cref="ContainerRuntimeException"/> with a message an operator can act on.</summary>
internal static class DockerErrors
{
    public static bool IsNotFound(Exception? ex) => ex is DockerApiException { StatusCode: HttpStatusCode.NotFound };

    /// <summary>Null for exceptions that are not the engine's or the connection's (bugs, cancellation): those pass unchanged.</summary>
    public static ContainerRuntimeException? Translate(Exception ex, string endpoint) => ex switch
    {
        ContainerRuntimeException => null,
        DockerApiException api => new ContainerRuntimeException(EngineMessage(api), api),
        HttpRequestException or IOException or SocketException =>
            new ContainerRuntimeException($"Cannot reach the Docker engine at {endpoint}: {Innermost(ex).Message}", ex),
        TimeoutException => new ContainerRuntimeException($"The Docker engine at {endpoint} did not answer in time.", ex),
        _ => null,
    };

    /// <summary>The engine answers errors as <c>{"message": "..."}</c>; Docker.DotNet's own message wraps it in status noise.</summary>
    public static string EngineMessage(DockerApiException ex)
    {
        var body = ex.ResponseBody?.Trim();
        if (string.IsNullOrEmpty(body))
        {
            return $"The Docker engine answered {(int)ex.StatusCode} ({ex.StatusCode}).";
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("message", out var message)
                && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page, plain text): the body itself is the best message there is.
        }

        return body;
    }

    private static Exception Innermost(Exception ex)
    {
        // HttpRequestException("Connection failed.") says nothing; the SocketException inside says why.
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
