namespace Portal.Features.Users;

internal static class UsersModule
{
    public static IServiceCollection AddUsers(this IServiceCollection services)
    {
        services.AddSingleton<IUserAdminService, UserAdminService>();
        services.AddScoped<AdminBootstrapper>();
        return services;
    }

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder endpoints) => endpoints.MapUserEndpoints();
}
