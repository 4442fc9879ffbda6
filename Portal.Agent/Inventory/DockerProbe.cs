using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;

namespace Portal.Agent.Inventory;

/// <summary>Asks the local Docker engine for its version (<c>GET /version</c>); null when none answers within 2 s.</summary>
public sealed class DockerProbe(IOptions<AgentOptions> options)
{
    public async Task<string?> VersionAsync(CancellationToken cancellationToken)
    {
        var endpoint = new Uri(options.Value.DockerEndpoint);
        if (endpoint.Scheme != "unix" || !File.Exists(endpoint.AbsolutePath))
        {
            return null;
        }

        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.AbsolutePath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://docker"), Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            var version = await http.GetFromJsonAsync<JsonElement>("/version", cancellationToken);
            return version.TryGetProperty("Version", out var v) ? v.GetString() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
