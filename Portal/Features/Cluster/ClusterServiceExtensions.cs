using Microsoft.AspNetCore.SignalR;
using Portal.Common;
using StackExchange.Redis;

namespace Portal.Features.Cluster;

internal static class ClusterServiceExtensions
{
    /// <summary>
    /// What lets several instances share one PostgreSQL database: instance rows, leases, fleet presence and, with
    /// <c>ConnectionStrings:Redis</c>, the notifier bus. Alone on SQLite the same parts run with nobody to share with.
    /// </summary>
    public static IServiceCollection AddPortalCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PortalInstanceIdentity>();
        services.AddSingleton<Leases>();
        services.AddSingleton<FleetPresence>();
        services.AddSingleton<ClusterService>();
        if (RedisConnection(configuration) is { } redis)
        {
            services.AddSingleton<IClusterBus>(sp => new RedisClusterBus(redis, sp.GetRequiredService<PortalInstanceIdentity>(), sp.GetRequiredService<ILogger<RedisClusterBus>>()));
        }
        else
        {
            services.AddSingleton<IClusterBus, LocalClusterBus>();
        }

        services.AddHostedService<InstanceHeartbeat>();
        return services;
    }

    /// <summary>With <c>ConnectionStrings:Redis</c>, hub messages to agents and pages reach them on whichever instance they are connected to.</summary>
    public static ISignalRServerBuilder AddPortalBackplane(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        if (RedisConnection(configuration) is { } redis)
        {
            signalR.AddStackExchangeRedis(redis, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal("portal:signalr");
                o.Configuration.AbortOnConnectFail = false;
            });
        }

        return signalR;
    }

    private static string? RedisConnection(IConfiguration configuration) =>
        configuration.GetConnectionString("Redis") is { Length: > 0 } redis ? redis : null;
}
