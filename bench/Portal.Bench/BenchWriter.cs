using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Cluster;
using Portal.Features.Telemetry;

namespace Portal.Bench;

/// <summary>The portal's real telemetry writer over a given database, as one portal instance alone would have it.</summary>
internal static class BenchWriter
{
    public static TelemetryWriter Create(IDbContextFactory<PortalDbContext> factory)
    {
        var options = Options.Create(new PortalOptions());
        var monitor = new ServiceCollection().AddOptions<PortalOptions>().Services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<PortalOptions>>();
        var bus = new LocalClusterBus();
        var leases = new Leases(factory, new PortalInstanceIdentity(options), monitor, TimeProvider.System, NullLogger<Leases>.Instance);
        var maintenance = new TelemetryMaintenance(factory, options, leases, new Notifier<TelemetryLate>(NullLogger<Notifier<TelemetryLate>>.Instance, bus, []),
            TimeProvider.System, NullLogger<TelemetryMaintenance>.Instance);
        return new TelemetryWriter(factory, new Notifier<TelemetryReceived>(NullLogger<Notifier<TelemetryReceived>>.Instance, bus, []),
            maintenance, TimeProvider.System, NullLogger<TelemetryWriter>.Instance);
    }
}
