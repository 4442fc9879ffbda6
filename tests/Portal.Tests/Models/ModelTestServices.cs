using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Tests.Devices;

namespace Portal.Tests.Models;

/// <summary>The real model registry (registered by the device pages' AddModels) over the device pages' SQLite database, with its artifact store in a temporary data directory.</summary>
internal static class ModelTestServices
{
    public static BunitAuthorizationContext AddModelPageServices(this BunitContext context, string dataDirectory) =>
        context.AddDevicePageServices(services => services.AddSingleton(Options.Create(new PortalOptions { DataDirectory = dataDirectory })));
}
