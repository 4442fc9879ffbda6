using Microsoft.Extensions.FileProviders;

namespace Portal.Hosting;

internal static class BrandingAssets
{
    /// <summary>Serves the repository's <c>wwwroot-assets/</c> (copied beside the binaries at build) under <c>/assets</c>.</summary>
    public static IApplicationBuilder UseBrandingAssets(this IApplicationBuilder app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        if (!Directory.Exists(root))
        {
            return app;
        }

        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            RequestPath = "/assets",
        });
    }
}
