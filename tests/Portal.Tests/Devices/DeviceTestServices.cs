using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;
using Portal.Common;
using Portal.Data;
using Portal.Features.Cluster;
using Portal.Features.Devices;
using Portal.Features.Groups;
using Portal.Features.Telemetry;
using Portal.Shared.Hubs;
using Portal.Shared.Security;

namespace Portal.Tests.Devices;

/// <summary>The real device services over an in-memory SQLite database, for rendering device pages in bUnit.</summary>
internal static class DeviceTestServices
{
    /// <param name="more">Further services, registered before the database is created (nothing can be added after).</param>
    public static BunitAuthorizationContext AddDevicePageServices(this BunitContext context, Action<IServiceCollection>? more = null)
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var services = context.Services;
        // Disposed with the test's services; the in-memory database lives as long as this connection.
        services.AddSingleton(connection);
        services.AddMudServices();
        services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite(connection));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(typeof(Notifier<>));
        services.AddSingleton<DeviceConnectionRegistry>();
        services.AddSingleton<IClusterBus, LocalClusterBus>();
        services.TryAddSingleton(Microsoft.Extensions.Options.Options.Create(new Portal.Configuration.PortalOptions()));
        services.AddSingleton<Portal.Features.Cluster.PortalInstanceIdentity>();
        services.AddSingleton<Portal.Features.Cluster.FleetPresence>();
        services.AddSingleton<Portal.Features.Audit.AuditLog>();
        services.AddSingleton<Portal.Features.Audit.AuditQuery>();
        services.AddScoped<Portal.Features.Audit.CircuitClient>();
        services.AddScoped<Portal.Components.Shared.BrowserClock>();
        services.AddSingleton<DeviceEvents>();
        services.AddSingleton<IHubClients<IAgentClient>, UnusedAgents>();
        services.AddSingleton<DeviceService>();
        services.AddSingleton<DeviceDecommission>();
        services.AddSingleton<IWorkloadDrain, Portal.Features.Deployments.WorkloadDrain>();
        services.AddSingleton<Portal.Features.Dashboard.FleetProblemSource>();
        services.AddSingleton<GroupService>();
        services.AddSingleton<IDeviceGroups>(sp => sp.GetRequiredService<GroupService>());
        services.AddSingleton<GroupDeletion>();
        services.AddSingleton<IDeploymentTargetsChanged, Portal.Features.Deployments.DeploymentTargetsChanged>();
        services.AddSingleton<TelemetryService>();
        // The device page's workloads section and the deployment pages.
        services.AddSingleton<Portal.Features.Marketplace.MarketplaceService>();
        services.AddSingleton<Portal.Features.Deployments.RolloutSignal>();
        services.AddSingleton<Portal.Features.Deployments.DeploymentService>();
        services.AddSingleton<Portal.Features.Deployments.DeploymentGate>();
        services.AddSingleton<Portal.Features.Deployments.DeploymentActions>();
        services.AddSingleton<Portal.Features.Deployments.DeploymentUpdateService>();
        services.AddSingleton<Portal.Features.Deployments.DeploymentVersions>();
        services.AddSingleton<Portal.Features.Deployments.DesiredStates>();
        services.AddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        services.AddSingleton<Portal.Security.SecretParameters>();
        services.AddSingleton<Portal.Features.Workloads.WorkloadActions>();
        services.AddSingleton<Portal.Features.Workloads.LogStreams>();
        // The device page's inference section.
        services.AddSingleton<Portal.Features.Models.InferenceMetricsStore>();
        var auth = context.AddAuthorization();
        auth.SetAuthorized("operator@portal.local");
        auth.SetRoles(PortalRoles.Operator);
        more?.Invoke(services);
        using var db = context.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        db.Database.EnsureCreated();
        return auth;
    }

    public static void AddDevice(this BunitContext context, string id, string name, params (string Key, string Value)[] labels)
    {
        using var db = context.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        db.Devices.Add(new Device { Id = id, Name = name, SecretHash = "x", EnrolledAt = DateTimeOffset.UtcNow, Labels = labels.ToDictionary(l => l.Key, l => l.Value) });
        db.SaveChanges();
    }

    /// <summary>Marks a device connected, as the hub does when its agent connects: in this instance's registry and in its row.</summary>
    public static void Connect(this BunitContext context, string deviceId)
    {
        context.Services.GetRequiredService<DeviceConnectionRegistry>().Register(deviceId, new FakeCaller(deviceId));
        using var db = context.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var instance = context.Services.GetRequiredService<Portal.Features.Cluster.PortalInstanceIdentity>().Id;
        db.Devices.Where(d => d.Id == deviceId).ExecuteUpdate(s => s.SetProperty(d => d.ConnectedInstance, instance).SetProperty(d => d.ConnectionId, "conn-" + deviceId));
    }

    private sealed class FakeCaller(string id) : HubCallerContext
    {
        public override string ConnectionId { get; } = Guid.NewGuid().ToString();

        public override string? UserIdentifier => id;

        public override ClaimsPrincipal? User => null;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort()
        {
        }
    }

    private sealed class UnusedAgents : IHubClients<IAgentClient>
    {
        public IAgentClient All => throw None();

        public IAgentClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw None();

        public IAgentClient Client(string connectionId) => throw None();

        public IAgentClient Clients(IReadOnlyList<string> connectionIds) => throw None();

        public IAgentClient Group(string groupName) => throw None();

        public IAgentClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw None();

        public IAgentClient Groups(IReadOnlyList<string> groupNames) => throw None();

        public IAgentClient User(string userId) => throw None();

        public IAgentClient Users(IReadOnlyList<string> userIds) => throw None();

        private static NotSupportedException None() => new("No agents in page tests.");
    }
}
