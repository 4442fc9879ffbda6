using MudBlazor.Services;
using Portal.Components.Account;
using Portal.Components.Shared;

namespace Portal.Components;

internal static class ComponentsModule
{
    /// <summary>Blazor Server, and what the pages share.</summary>
    public static IServiceCollection AddPortalComponents(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        return services.AddPortalPageServices();
    }

    /// <summary>
    /// MudBlazor and the browser's time zone: what every page needs whoever renders it (bUnit brings its own renderer,
    /// which Blazor Server's services would replace).
    /// </summary>
    public static IServiceCollection AddPortalPageServices(this IServiceCollection services)
    {
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        services.AddScoped<BrowserClock>();
        return services;
    }

    /// <summary>The pages, and the account endpoints their static forms post to.</summary>
    public static IEndpointRouteBuilder MapPortalComponents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        endpoints.MapAccountEndpoints();
        return endpoints;
    }
}
