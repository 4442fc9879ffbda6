using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Features.Models;
using Portal.Tests.Devices;

namespace Portal.Tests.Models;

/// <summary>The real model registry over the device pages' SQLite database, with its artifact store in a temporary data directory.</summary>
internal static class ModelTestServices
{
    public static void AddModelPageServices(this BunitContext context, string dataDirectory) =>
        context.AddDevicePageServices(services =>
        {
            services.AddSingleton(Options.Create(new PortalOptions { DataDirectory = dataDirectory }));
            services.AddSingleton<ArtifactStore>();
            services.AddSingleton<ModelRegistry>();
            services.AddSingleton<ModelPlayground>();
            services.AddSingleton<ModelProfiles>();
        });

    /// <summary>A file of the repository, found by walking up from the test binaries to the folder holding Portal.sln.</summary>
    public static string RepositoryFile(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine([dir?.FullName ?? throw new DirectoryNotFoundException("Portal.sln not found above " + AppContext.BaseDirectory), .. parts]);
    }
}
