using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Common;
using Portal.Components;
using Portal.Data;
using Portal.Features.Alerts;
using Portal.Features.Audit;
using Portal.Features.Cluster;
using Portal.Features.Dashboard;
using Portal.Features.DataFlows;
using Portal.Features.Deployments;
using Portal.Features.DeviceActions;
using Portal.Features.DeviceData;
using Portal.Features.Devices;
using Portal.Features.FleetConfig;
using Portal.Features.Groups;
using Portal.Features.Marketplace;
using Portal.Features.Models;
using Portal.Features.Notifications;
using Portal.Features.Telemetry;
using Portal.Features.Workloads;
using Portal.Hubs;
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
        services.AddPortalPageServices();
        services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite(connection));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.TryAddSingleton(Microsoft.Extensions.Options.Options.Create(new Portal.Configuration.PortalOptions()));
        // The portal's own modules (their hosted services are registered but never started here).
        services.AddPortalCluster(new ConfigurationBuilder().Build());
        services.AddNotifications();
        services.AddAudit();
        services.AddDevices();
        services.AddDeviceActions();
        services.AddTelemetry();
        services.AddDeviceData();
        services.AddGroups();
        services.AddFleetConfig();
        services.AddMarketplace();
        services.AddDeployments();
        services.AddWorkloads();
        services.AddModels();
        services.AddDataFlows();
        services.AddDashboard();
        services.AddNotificationChannels();
        services.AddAlerts();
        // What stands in for the agent hub and the auth module: no agents and no key ring in page tests.
        services.AddSingleton<DeviceConnectionRegistry>();
        services.AddSingleton<IHubClients<IAgentClient>, UnusedAgents>();
        services.AddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        services.AddSingleton<Portal.Security.SecretParameters>();
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
        var instance = context.Services.GetRequiredService<PortalInstanceIdentity>().Id;
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
