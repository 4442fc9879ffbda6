namespace Portal.Features.FleetConfig;

internal static class FleetConfigModule
{
    public static IServiceCollection AddFleetConfig(this IServiceCollection services)
    {
        services.AddSingleton<ConfigSetService>();
        services.AddSingleton<ConfigRolloutService>();
        services.AddSingleton<EffectiveConfigService>();
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<SecretService>();
        services.AddSingleton<DeviceConfigReader>();
        return services;
    }

    public static IEndpointRouteBuilder MapFleetConfig(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapConfigEndpoints().MapSecretEndpoints().MapConfigRolloutEndpoints();
}
