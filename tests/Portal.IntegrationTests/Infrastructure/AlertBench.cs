using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Data;
using Portal.Features.Alerts;
using Portal.Shared.Alerts;
using Portal.Shared.Notifications;
using Portal.Shared.Routes;

namespace Portal.Testing;

/// <summary>
/// A portal for alert tests driven by hand: the background evaluator is taken out, telemetry rows are stored as the
/// writer would store them, and a test runs the evaluation passes itself, then reads the alerts and the outbox. One
/// enrolled device (press-12), one e-mail channel, and a way to make the next save that queues a notification fail.
/// </summary>
public abstract class AlertBench : IAsyncLifetime
{
    private readonly List<PortalFactory> portals = [];
    private long sequence;

    protected CancellationToken Ct { get; } = TestContext.Current.CancellationToken;

    /// <summary>Whole seconds: times come back through JSON at millisecond precision.</summary>
    protected DateTimeOffset T0 { get; } = new DateTimeOffset(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).AddMinutes(-20);

    protected FailNextNotification Failures { get; } = new();

    protected PortalFactory Factory { get; set; } = default!;

    protected HttpClient Admin { get; set; } = default!;

    protected string DeviceId { get; private set; } = "";

    protected string ChannelId { get; private set; } = "";

    /// <summary>The sequence of the last telemetry sample stored.</summary>
    protected long Sequence => sequence;

    public async ValueTask InitializeAsync()
    {
        Factory = Start(new PortalFactory());
        Admin = await ApiClient.AdminAsync(Factory, Ct);
        DeviceId = (await ApiClient.EnrollDeviceAsync(Admin, "press-12", Ct)).DeviceId;
        using var created = await Admin.PostAsJsonAsync(ApiRoutes.NotificationChannels, SaveNotificationChannelRequest.Email("on call", "oncall@plant.example"), Ct);
        ChannelId = (await created.Content.ReadFromJsonAsync<CreatedNotificationChannel>(Ct))!.Channel.Id;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        foreach (var started in portals)
        {
            await started.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Readies a portal (this bench's, or a second one on the same data) with no evaluator of its own.</summary>
    protected PortalFactory Start(PortalFactory factory)
    {
        factory.TestServices.Add(services =>
        {
            services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(AlertEvaluator)));
            services.ConfigureDbContext<PortalDbContext>((_, o) => o.AddInterceptors(Failures));
        });
        portals.Add(factory);
        return factory;
    }

    protected async Task<AlertRuleDto> CpuRuleAsync()
    {
        var request = SaveAlertRuleRequest.ForTelemetry("hot press", TelemetryMetric.CpuPercent, 80, 60, 30, ChannelId) with { ResolveAfterSeconds = 10 };
        using var response = await Admin.PostAsJsonAsync(ApiRoutes.AlertRules, request, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<AlertRuleDto>(Ct))!;
    }

    protected async Task SamplesAsync(params (int Seconds, double Cpu)[] samples)
    {
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        foreach (var (seconds, cpu) in samples)
        {
            db.Telemetry.Add(new TelemetryRecord { DeviceId = DeviceId, Sequence = ++sequence, At = T0.AddSeconds(seconds), CpuPercent = cpu, MemoryTotalBytes = 1000, MemoryUsedBytes = 500 });
        }

        await db.SaveChangesAsync(Ct);
    }

    protected Task RunAsync(bool full = false) => Factory.Services.GetRequiredService<AlertEvaluation>().RunOnceAsync([DeviceId], full, Ct);

    protected async Task<IReadOnlyList<AlertDto>> AlertsAsync() => (await Admin.GetFromJsonAsync<AlertPage>($"{ApiRoutes.Alerts}?deviceId={DeviceId}", Ct))!.Items;

    protected async Task<List<NotificationDelivery>> OutboxAsync()
    {
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        return await db.NotificationDeliveries.AsNoTracking().Where(d => d.SourceKey.StartsWith("alert:")).OrderBy(d => d.Id).ToListAsync(Ct);
    }

    /// <summary>The next save that queues a notification fails as a full disk would, once.</summary>
    protected sealed class FailNextNotification : SaveChangesInterceptor
    {
        private int armed;

        public void Arm() => armed = 1;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context?.ChangeTracker.Entries<NotificationDelivery>().Any(e => e.State == EntityState.Added) == true && Interlocked.Exchange(ref armed, 0) == 1)
            {
                throw new IOException("No space left on device");
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
