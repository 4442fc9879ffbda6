namespace Portal.Features.Account;

internal static class AccountModule
{
    public static IServiceCollection AddAccount(this IServiceCollection services)
    {
        services.AddSingleton<UserPreferencesService>();
        return services;
    }
}
