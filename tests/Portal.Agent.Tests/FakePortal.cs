using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Portal.Shared.Devices;
using Portal.Shared.Routes;

namespace Portal.Agent.Tests;

/// <summary>
/// A stand-in for the portal on 127.0.0.1, for agent-process tests about enrollment and refusal: enrollment answers with
/// <see cref="Enrolled"/> (or refuses when it is null) and records each request; every other route (the hub) is 401.
/// </summary>
internal sealed class FakePortal : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task serving;

    public FakePortal()
    {
        var port = Portal.Testing.AgentProcess.FreeLoopbackPort();
        Address = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(Address.ToString());
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public Uri Address { get; }

    public EnrollResponse? Enrolled { get; init; }

    public ConcurrentQueue<EnrollRequest> Enrollments { get; } = new();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var response = context.Response;
            if (context.Request.Url!.AbsolutePath == ApiRoutes.AgentEnroll)
            {
                var request = await JsonSerializer.DeserializeAsync<EnrollRequest>(context.Request.InputStream, JsonSerializerOptions.Web);
                Enrollments.Enqueue(request!);
                var (status, body) = Enrolled is { } enrolled
                    ? (200, JsonSerializer.Serialize(enrolled, JsonSerializerOptions.Web))
                    : (400, """{"title":"Enrollment refused","detail":"The enrollment token is unknown, expired or used up."}""");
                response.StatusCode = status;
                response.ContentType = "application/json";
                await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
            }
            else
            {
                response.StatusCode = 401;
            }
        }
    }

    public void Dispose()
    {
        // Close alone (it stops too): Stop then Close makes the managed listener bind the port again to remove its
        // prefix, which fails when another test has taken the port meanwhile ("Address already in use").
        listener.Close();
        serving.Wait(TimeSpan.FromSeconds(5));
    }
}
