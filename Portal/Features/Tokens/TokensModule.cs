namespace Portal.Features.Tokens;

internal static class TokensModule
{
    public static IServiceCollection AddTokens(this IServiceCollection services)
    {
        services.AddSingleton<AccessTokenService>();
        return services;
    }

    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder endpoints) => endpoints.MapTokenEndpoints();
}
