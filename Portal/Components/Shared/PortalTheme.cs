using MudBlazor;

namespace Portal.Components.Shared;

/// <summary>The portal's colours and type, shared by every layout.</summary>
internal static class PortalTheme
{
    public static MudTheme Instance { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#00796B",
            Secondary = "#5C6BC0",
            AppbarBackground = "#004D40",
            DrawerBackground = "#FAFAFA",
            Background = "#F4F6F8",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#4DB6AC",
            Secondary = "#9FA8DA",
            AppbarBackground = "#102A27",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Roboto", "Segoe UI", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
