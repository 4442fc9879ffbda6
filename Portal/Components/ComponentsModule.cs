using MudBlazor.Services;
using Portal.Components.Account;
using Portal.Components.Shared;

namespace Portal.Components;

internal static class ComponentsModule
{
    /// <summary>Blazor Server with MudBlazor, and what every page shares (the browser's time zone).</summary>
    public static IServiceCollection AddPortalComponents(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
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
