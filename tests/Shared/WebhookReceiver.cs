using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.Testing;

/// <summary>
/// A tiny real HTTP server on 127.0.0.1 (Kestrel, on a port of its own) that stands in for a webhook's receiver: it
/// answers each POST, to any path, with the next of the scripted status codes (200 once they are used up), and
/// records every request it gets. Other methods are answered 405 and recorded, without using up a scripted code.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private const string SignatureHeader = "X-Portal-Signature";
    private readonly Lock gate = new();
    private readonly Queue<int> script;
    private readonly List<WebhookRequest> requests = [];
    private WebApplication? app;

    private WebhookReceiver(IEnumerable<int> statusCodes) => script = new Queue<int>(statusCodes);

    public int Port { get; private set; }

    /// <summary>The address to give the portal as the webhook's URL.</summary>
    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>The requests received so far, in the order they arrived.</summary>
    public IReadOnlyList<WebhookRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Starts a receiver that answers its POSTs with <paramref name="statusCodes"/> in turn, then 200.</summary>
    public static async Task<WebhookReceiver> StartAsync(params int[] statusCodes)
    {
        var receiver = new WebhookReceiver(statusCodes);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Port 0: Kestrel binds a free port itself, so no other process can take it between choosing and binding.
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(receiver.HandleAsync);
        receiver.app = app;
        try
        {
            await app.StartAsync();
            receiver.Port = new Uri(app.Urls.First()).Port;
            return receiver;
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Whether the request's <c>X-Portal-Signature</c> is <c>sha256=</c> and the lowercase hex of HMAC-SHA256 over
    /// exactly its body's bytes, keyed with the UTF-8 bytes of <paramref name="secret"/> (compared in constant time).
    /// </summary>
    public static bool SignatureValid(WebhookRequest request, string secret)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secret);
        if (!request.Headers.TryGetValue(SignatureHeader, out var signature))
        {
            return false;
        }

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), request.Body));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(signature), Encoding.UTF8.GetBytes(expected));
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived, then returns all of them.</summary>
    public async Task<IReadOnlyList<WebhookRequest>> WaitForRequestsAsync(int count, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var received = Requests;
            if (received.Count >= count)
            {
                return received;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"Expected {count} webhook request(s) at {Url} within {timeout.TotalSeconds:0.#} s, but {received.Count} arrived.");
            }

            await Task.Delay(50, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            try
            {
                await app.StopAsync();
            }
            finally
            {
                await app.DisposeAsync();
                app = null;
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = values.ToString();
        }

        int status;
        lock (gate)
        {
            status = !HttpMethods.IsPost(context.Request.Method) ? StatusCodes.Status405MethodNotAllowed
                : script.TryDequeue(out var scripted) ? scripted
                : StatusCodes.Status200OK;
            // Recorded before the answer goes out: once the sender has its answer, the request is in Requests.
            requests.Add(new WebhookRequest(context.Request.Path.Value ?? string.Empty, headers, body.ToArray(), status));
        }

        context.Response.StatusCode = status;
    }
}
