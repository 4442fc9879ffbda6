using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Shared.Notifications;

namespace Portal.Features.Notifications;

/// <summary>
/// Sends what is due: claims each delivery with a conditional UPDATE (Pending and due, or Sending whose claim expired
/// because its sender died), sends up to four at once, logs the attempt, then marks it Succeeded, Pending again at the
/// next retry time, or Failed (a final refusal, or out of attempts).
/// </summary>
public sealed partial class DeliveryWorker(
    IDbContextFactory<PortalDbContext> dbFactory,
    IEnumerable<INotificationSender> senders,
    ChannelSecrets secrets,
    Portal.Common.Notifier<DeliveryChanged> changes,
    IOptionsMonitor<PortalOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWorker> logger)
{
    private const int Batch = 20;
    private const int AtOnce = 4;

    /// <summary>How many deliveries it tried (0: nothing was due).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.NotificationDeliveries.AsNoTracking()
                .Where(d => (d.State == DeliveryState.Pending && d.NextAttemptAt <= now) || (d.State == DeliveryState.Sending && d.ClaimedUntil < now))
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Select(d => d.Id).Take(Batch).ToListAsync(ct);
        }

        var tried = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = ct }, async (id, token) =>
        {
            if (await TryOneAsync(id, token))
            {
                Interlocked.Increment(ref tried);
            }
        });
        return tried;
    }

    private async Task<bool> TryOneAsync(long id, CancellationToken ct)
    {
        var settings = options.CurrentValue.Notifications;
        var now = clock.GetUtcNow();
        var claim = now + TimeSpan.FromSeconds(Math.Max(settings.WebhookTimeoutSeconds, settings.Smtp.TimeoutSeconds) * 3 + 30);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claimed = await db.NotificationDeliveries
            .Where(d => d.Id == id && ((d.State == DeliveryState.Pending && d.NextAttemptAt <= now) || (d.State == DeliveryState.Sending && d.ClaimedUntil < now)))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DeliveryState.Sending).SetProperty(d => d.ClaimedUntil, claim)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1), ct);
        if (claimed == 0)
        {
            return false;
        }

        var delivery = await db.NotificationDeliveries.FirstAsync(d => d.Id == id, ct);
        var channel = await db.NotificationChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == delivery.ChannelId, ct);
        var started = Stopwatch.GetTimestamp();
        SendOutcome outcome;
        try
        {
            outcome = await SendAsync(channel, delivery, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: hand the delivery back at once rather than leave it claimed until the claim expires.
            await db.NotificationDeliveries.Where(d => d.Id == id && d.State == DeliveryState.Sending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DeliveryState.Pending).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            throw;
        }

        var finished = clock.GetUtcNow();
        db.NotificationAttempts.Add(new NotificationAttempt
        {
            DeliveryId = id,
            At = now,
            DurationMs = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds),
            StatusCode = outcome.StatusCode,
            Error = Cut(outcome.Error),
        });
        delivery.ClaimedUntil = null;
        delivery.LastError = Cut(outcome.Error);
        if (outcome.Succeeded)
        {
            (delivery.State, delivery.FinishedAt) = (DeliveryState.Succeeded, finished);
        }
        else if (outcome.Retry && delivery.Attempts < settings.MaxAttempts)
        {
            (delivery.State, delivery.NextAttemptAt) = (DeliveryState.Pending, finished + RetrySchedule.After(delivery.Attempts, settings));
        }
        else
        {
            (delivery.State, delivery.FinishedAt) = (DeliveryState.Failed, finished);
            LogGaveUp(logger, id, channel?.Name ?? delivery.ChannelId, delivery.Attempts, outcome.Error ?? "");
        }

        await db.SaveChangesAsync(ct);
        changes.Publish(new DeliveryChanged(delivery.ChannelId));
        return true;
    }

    private async Task<SendOutcome> SendAsync(NotificationChannel? channel, NotificationDelivery delivery, CancellationToken ct)
    {
        if (channel is null)
        {
            return SendOutcome.GiveUp("The channel was deleted.");
        }

        if (!channel.Enabled)
        {
            return SendOutcome.GiveUp("The channel is disabled.");
        }

        var sender = senders.FirstOrDefault(s => s.Kind == channel.Kind);
        if (sender is null)
        {
            return SendOutcome.GiveUp($"No sender for {channel.Kind} channels.");
        }

        string? secret = null;
        try
        {
            secret = channel.ProtectedSecret is null ? null : secrets.Unprotect(channel.ProtectedSecret);
        }
        catch (CryptographicException)
        {
            return SendOutcome.GiveUp("The channel's secret cannot be decrypted (the key ring changed): set it again.");
        }

        try
        {
            return await sender.SendAsync(channel, delivery, Body(delivery), secret, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogSenderFailed(logger, delivery.Id, ex);
            return SendOutcome.TryAgain($"Sending failed: {ex.Message}");
        }
    }

    /// <summary>The delivery's payload with its id, the bytes every kind sends (and a webhook signs).</summary>
    public static byte[] Body(NotificationDelivery delivery)
    {
        JsonObject payload;
        try
        {
            payload = JsonNode.Parse(delivery.Payload) as JsonObject ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            payload = [];
        }

        payload["deliveryId"] = delivery.Id;
        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    private static string? Cut(string? text) => text is { Length: > 1000 } ? text[..1000] : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification delivery {DeliveryId} to {Channel} failed for good after {Attempts} attempt(s): {Error}")]
    private static partial void LogGaveUp(ILogger logger, long deliveryId, string channel, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification delivery {DeliveryId}: the sender threw")]
    private static partial void LogSenderFailed(ILogger logger, long deliveryId, Exception ex);
}
