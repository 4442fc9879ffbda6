using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portal.Load;

/// <summary>Runs <see cref="EchoHub"/> on Kestrel at 127.0.0.1:PORT with the MessagePack protocol, as the child process <c>echo-server PORT</c>.</summary>
internal static class EchoServer
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        builder.Services.AddSignalR().AddMessagePackProtocol();
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapHub<EchoHub>(Portal.Shared.Routes.ApiRoutes.AgentHub);
        await app.RunAsync();
    }
}
