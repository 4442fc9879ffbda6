using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;

namespace Portal.Agent.Inventory;

/// <summary>
/// Asks the local Docker engine for its version (<c>GET /version</c>, 2 s at most). When none answers, says why in a
/// sentence the portal shows an operator: no socket, permission denied, nothing listening, or the engine's own error.
/// </summary>
public sealed class DockerProbe(IOptions<AgentOptions> options)
{
    public sealed record Result(string? Version, string? Problem);

    public async Task<Result> ProbeAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.DockerEndpoint;
        if (!Uri.TryCreate(configured, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("unix" or "tcp" or "http"))
        {
            return new(null, $"the Docker endpoint '{configured}' is not a unix:// or tcp:// address (Agent:DockerEndpoint)");
        }

        if (endpoint.Scheme == "unix" && !File.Exists(endpoint.AbsolutePath))
        {
            return new(null, $"there is no Docker socket at {endpoint.AbsolutePath} (Agent:DockerEndpoint)");
        }

        using var handler = new SocketsHttpHandler();
        if (endpoint.Scheme == "unix")
        {
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.AbsolutePath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        var address = endpoint.Scheme == "unix" ? new Uri("http://docker") : new UriBuilder("http", endpoint.Host, endpoint.Port).Uri;
        using var http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync("/version", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new(null, $"the Docker engine at {configured} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var version = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return version.TryGetProperty("Version", out var v) && v.GetString() is { Length: > 0 } text
                ? new(text, null)
                : new(null, $"the Docker engine at {configured} did not say its version");
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied } || IsPermissionDenied(ex))
        {
            return new(null, $"permission denied on {endpoint.AbsolutePath}: add the agent's user to the docker group, or run it as a user that may use Docker");
        }
        catch (HttpRequestException ex)
        {
            return new(null, $"the Docker engine at {configured} did not answer ({Innermost(ex)})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null, $"the Docker engine at {configured} did not answer within 2 s");
        }
        catch (JsonException)
        {
            return new(null, $"what answered at {configured} is not a Docker engine");
        }
    }

    private static bool IsPermissionDenied(Exception ex) =>
        ex.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied } or UnauthorizedAccessException
        || ex.InnerException?.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase) == true
        || ex.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase);

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex.Message.TrimEnd('.');
    }
}
