namespace Portal.Features.Groups;

internal static class GroupsModule
{
    public static IServiceCollection AddGroups(this IServiceCollection services)
    {
        services.AddSingleton<GroupService>();
        services.AddSingleton<Devices.IDeviceGroups>(sp => sp.GetRequiredService<GroupService>());
        services.AddSingleton<GroupDeletion>();
        return services;
    }

    public static IEndpointRouteBuilder MapGroups(this IEndpointRouteBuilder endpoints) => endpoints.MapGroupEndpoints();
}
