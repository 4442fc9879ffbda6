using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Notifications;

namespace Portal.Features.Notifications;

/// <summary>Notification channels: created, changed, deleted and tested by admins (audited); their deliveries listed.</summary>
public sealed class NotificationChannelService(
    IDbContextFactory<PortalDbContext> dbFactory,
    ChannelSecrets secrets,
    IEnumerable<IChannelUsers> users,
    Notifier<OutboxChanged> outbox,
    Notifier<DeliveryChanged> deliveries,
    AuditLog audit,
    IOptionsMonitor<PortalOptions> options,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<NotificationChannelDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channels = await db.NotificationChannels.AsNoTracking().ToListAsync(ct);
        return channels.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(ToDto).ToList();
    }

    public async Task<NotificationChannelDto?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.NotificationChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } channel ? ToDto(channel) : null;
    }

    public async Task<OperationResult<CreatedNotificationChannel>> CreateAsync(SaveNotificationChannelRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        if (ChannelRules.Problem(request) is { } problem)
        {
            return OperationResult<CreatedNotificationChannel>.Fail(OperationOutcome.Invalid, problem);
        }

        var now = clock.GetUtcNow();
        var channel = new NotificationChannel { Id = Guid.NewGuid().ToString("N"), Name = request!.Name.Trim(), CreatedAt = now };
        var secret = Apply(channel, request, isNew: true);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.NotificationChannels.AnyAsync(c => c.Name == channel.Name, ct))
        {
            return OperationResult<CreatedNotificationChannel>.Fail(OperationOutcome.Conflict, $"A channel named '{channel.Name}' already exists.");
        }

        channel.UpdatedAt = now;
        db.NotificationChannels.Add(channel);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, AuditActions.NotificationChannelCreated, AuditTargets.NotificationChannel(channel.Id), channel.Name, detail: Describe(channel), ct: ct);
        return OperationResult<CreatedNotificationChannel>.Ok(new CreatedNotificationChannel(ToDto(channel), channel.Kind == ChannelKind.Webhook ? secret : null));
    }

    public async Task<OperationResult<NotificationChannelDto>> UpdateAsync(string id, SaveNotificationChannelRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        if (ChannelRules.Problem(request) is { } problem)
        {
            return OperationResult<NotificationChannelDto>.Fail(OperationOutcome.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await db.NotificationChannels.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return OperationResult<NotificationChannelDto>.Fail(OperationOutcome.NotFound, "There is no such channel.");
        }

        var name = request!.Name.Trim();
        if (await db.NotificationChannels.AnyAsync(c => c.Name == name && c.Id != id, ct))
        {
            return OperationResult<NotificationChannelDto>.Fail(OperationOutcome.Conflict, $"A channel named '{name}' already exists.");
        }

        if (channel.Kind != request.Kind)
        {
            return OperationResult<NotificationChannelDto>.Fail(OperationOutcome.Invalid, $"A channel's kind cannot change ({channel.Kind}): create a new channel instead.");
        }

        channel.Name = name;
        Apply(channel, request, isNew: false);
        channel.UpdatedAt = clock.GetUtcNow();
        channel.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<NotificationChannelDto>.Fail(OperationOutcome.Conflict, "Someone else changed or deleted this channel just now; reload and try again.");
        }

        await audit.RecordAsync(actor, AuditActions.NotificationChannelChanged, AuditTargets.NotificationChannel(id), name, detail: Describe(channel), ct: ct);
        return OperationResult<NotificationChannelDto>.Ok(ToDto(channel));
    }

    public async Task<OperationResult<bool>> DeleteAsync(string id, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await db.NotificationChannels.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return OperationResult<bool>.Fail(OperationOutcome.NotFound, "There is no such channel.");
        }

        foreach (var user in users)
        {
            if (await user.UsersOfAsync(id, ct) is [_, ..] names)
            {
                return OperationResult<bool>.Fail(OperationOutcome.Conflict,
                    $"'{channel.Name}' is used by {string.Join(", ", names.Take(5).Select(n => $"'{n}'"))}{(names.Count > 5 ? $" and {names.Count - 5} more" : "")}: take it out of them first.");
            }
        }

        db.NotificationChannels.Remove(channel);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, AuditActions.NotificationChannelDeleted, AuditTargets.NotificationChannel(id), channel.Name, ct: ct);
        return OperationResult<bool>.Ok(true);
    }

    /// <summary>A new signing secret for a webhook channel, shown this once; the old one stops signing at once.</summary>
    public async Task<OperationResult<CreatedNotificationChannel>> RotateSecretAsync(string id, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await db.NotificationChannels.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return OperationResult<CreatedNotificationChannel>.Fail(OperationOutcome.NotFound, "There is no such channel.");
        }

        if (channel.Kind != ChannelKind.Webhook)
        {
            return OperationResult<CreatedNotificationChannel>.Fail(OperationOutcome.Invalid, "Only webhook channels have a signing secret; change an MQTT password with PUT.");
        }

        var secret = SecretTokens.Generate("whsec_");
        channel.ProtectedSecret = secrets.Protect(secret);
        channel.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, AuditActions.NotificationChannelSecretRotated, AuditTargets.NotificationChannel(id), channel.Name, ct: ct);
        return OperationResult<CreatedNotificationChannel>.Ok(new CreatedNotificationChannel(ToDto(channel), secret));
    }

    /// <summary>Queues a test notification on the channel (sent within seconds); the delivery to watch in its log.</summary>
    public async Task<OperationResult<DeliveryDto>> SendTestAsync(string id, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await db.NotificationChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return OperationResult<DeliveryDto>.Fail(OperationOutcome.NotFound, "There is no such channel.");
        }

        if (!channel.Enabled)
        {
            return OperationResult<DeliveryDto>.Fail(OperationOutcome.Conflict, $"'{channel.Name}' is disabled: enable it to send a test.");
        }

        var now = clock.GetUtcNow();
        var source = $"test:{Guid.NewGuid():N}";
        var url = options.CurrentValue.Notifications.PortalUrl.TrimEnd('/') + "/notifications";
        var payload = new JsonObject
        {
            ["type"] = FleetEventTypes.Test,
            ["at"] = now.UtcDateTime,
            ["channel"] = new JsonObject { ["id"] = channel.Id, ["name"] = channel.Name },
            ["requestedBy"] = actor.Name,
            ["url"] = url,
        };
        NotificationOutbox.Enqueue(db, [id], source, new NotificationContent(FleetEventTypes.Test, $"Test notification from the Edge AI Portal ({channel.Name})",
            $"This is a test of the notification channel '{channel.Name}', sent by {actor.Name} at {now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.\n{url}\n",
            payload.ToJsonString(JsonSerializerOptions.Web)), now);
        await db.SaveChangesAsync(ct);
        outbox.Publish(new OutboxChanged(id));
        deliveries.Publish(new DeliveryChanged(id));
        await audit.RecordAsync(actor, AuditActions.NotificationChannelTested, AuditTargets.NotificationChannel(id), channel.Name, ct: ct);
        var delivery = await db.NotificationDeliveries.AsNoTracking().FirstAsync(d => d.ChannelId == id && d.SourceKey == source, ct);
        return OperationResult<DeliveryDto>.Ok(ToDto(delivery, []));
    }

    public async Task<OperationResult<IReadOnlyList<DeliveryDto>>> DeliveriesAsync(string id, int count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.NotificationChannels.AnyAsync(c => c.Id == id, ct))
        {
            return OperationResult<IReadOnlyList<DeliveryDto>>.Fail(OperationOutcome.NotFound, "There is no such channel.");
        }

        var deliveries = await db.NotificationDeliveries.AsNoTracking().Include(d => d.AttemptLog)
            .Where(d => d.ChannelId == id).OrderByDescending(d => d.Id).Take(Math.Clamp(count, 1, 500)).ToListAsync(ct);
        return OperationResult<IReadOnlyList<DeliveryDto>>.Ok(deliveries.Select(d => ToDto(d, d.AttemptLog)).ToList());
    }

    /// <summary>Copies the request onto the channel; returns the webhook secret now set, if one was set (generated when none was given on creation).</summary>
    private string? Apply(NotificationChannel channel, SaveNotificationChannelRequest request, bool isNew)
    {
        channel.Kind = request.Kind;
        channel.Enabled = request.Enabled;
        channel.EventTypes = (request.EventTypes ?? []).Distinct(StringComparer.Ordinal).ToList();
        channel.EmailTo = request.Kind == ChannelKind.Email ? request.EmailTo!.Select(a => a.Trim()).ToList() : [];
        channel.WebhookUrl = request.Kind == ChannelKind.Webhook ? request.WebhookUrl : null;
        channel.Mqtt = request.Kind == ChannelKind.Mqtt ? request.Mqtt! with { Host = request.Mqtt.Host.Trim(), UserName = string.IsNullOrWhiteSpace(request.Mqtt.UserName) ? null : request.Mqtt.UserName } : null;
        string? secret = null;
        if (request.Kind == ChannelKind.Webhook && (isNew || !string.IsNullOrEmpty(request.WebhookSecret)))
        {
            secret = string.IsNullOrEmpty(request.WebhookSecret) ? SecretTokens.Generate("whsec_") : request.WebhookSecret;
        }
        else if (request.Kind == ChannelKind.Mqtt && request.MqttPassword is not null)
        {
            secret = request.MqttPassword.Length == 0 ? null : request.MqttPassword;
            channel.ProtectedSecret = null;
        }

        if (secret is not null)
        {
            channel.ProtectedSecret = secrets.Protect(secret);
        }

        return secret;
    }

    private static string Describe(NotificationChannel channel)
    {
        var where = channel.Kind switch
        {
            ChannelKind.Email => string.Join(", ", channel.EmailTo),
            ChannelKind.Webhook => new Uri(channel.WebhookUrl!).GetLeftPart(UriPartial.Path),
            _ => $"{channel.Mqtt!.Host}:{channel.Mqtt.Port} {channel.Mqtt.Topic}",
        };
        return $"{channel.Kind} to {where}{(channel.Enabled ? "" : " (disabled)")}; events: {(channel.EventTypes.Count == 0 ? "none" : string.Join(", ", channel.EventTypes))}";
    }

    public static NotificationChannelDto ToDto(NotificationChannel c) =>
        new(c.Id, c.Name, c.Kind, c.Enabled, c.EmailTo, c.WebhookUrl, c.Mqtt, c.EventTypes, c.ProtectedSecret is not null, c.CreatedAt, c.UpdatedAt);

    public static DeliveryDto ToDto(NotificationDelivery d, IEnumerable<NotificationAttempt> attempts) =>
        new(d.Id, d.ChannelId, d.SourceKey, d.Subject, d.State, d.Attempts, d.CreatedAt,
            d.State == DeliveryState.Pending ? d.NextAttemptAt : null, d.FinishedAt, d.LastError,
            attempts.OrderByDescending(a => a.Id).Select(a => new DeliveryAttemptDto(a.At, a.DurationMs, a.StatusCode, a.Error)).ToList());
}
