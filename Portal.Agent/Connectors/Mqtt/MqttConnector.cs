using System.Buffers;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Portal.Shared.Connectors;

namespace Portal.Agent.Connectors.Mqtt;

/// <summary>
/// One connection to an MQTT broker (MQTTnet), kept up: <see cref="StartAsync"/> connects in the background and
/// reconnects after a growing backoff whenever the broker goes away, subscribing again to every filter it was asked
/// for. Messages reach the handler of each filter they match. <see cref="PublishAsync"/> refuses while disconnected
/// (the caller keeps what it must not lose); <see cref="LastError"/> says why it is not connected (a refused
/// password is the broker's own reason).
/// </summary>
public sealed partial class MqttConnector : IAsyncDisposable
{
    private readonly MqttConnection connection;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly IMqttClient client;
    private readonly List<(string Filter, MqttQualityOfServiceLevel Qos, Func<MqttMessage, Task> Handler)> subscriptions = [];
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim connected = new(0);
    private Task? loop;

    /// <param name="reconnectMin">The first wait after a failed connection; it doubles up to <paramref name="reconnectMax"/> while the broker stays away.</param>
    public MqttConnector(MqttConnection connection, TimeProvider clock, ILogger logger, TimeSpan? reconnectMin = null, TimeSpan? reconnectMax = null)
    {
        (this.connection, this.clock, this.logger) = (connection, clock, logger);
        (ReconnectMin, ReconnectMax) = (reconnectMin ?? TimeSpan.FromMilliseconds(500), reconnectMax ?? TimeSpan.FromSeconds(30));
        client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += DeliverAsync;
    }

    public TimeSpan ReconnectMin { get; }

    public TimeSpan ReconnectMax { get; }

    public bool IsConnected => client.IsConnected;

    /// <summary>Why the connector is not connected now (null while connected or before the first try).</summary>
    public string? LastError { get; private set; }

    /// <summary>Subscribes (now if connected, and again after every reconnect). Wildcards <c>+</c> and <c>#</c> as MQTT has them.</summary>
    public async Task SubscribeAsync(string filter, int qos, Func<MqttMessage, Task> handler, CancellationToken ct = default)
    {
        var level = Qos(qos);
        lock (subscriptions)
        {
            subscriptions.Add((filter, level, handler));
        }

        if (client.IsConnected)
        {
            Check(filter, await client.SubscribeAsync(SubscribeOptions(filter, level), ct));
        }
    }

    /// <summary>Connects in the background; the task completes once the first connection is up or <paramref name="wait"/> has passed.</summary>
    public async Task<bool> StartAsync(TimeSpan wait, CancellationToken ct = default)
    {
        loop ??= Task.Run(() => KeepConnectedAsync(stop.Token), CancellationToken.None);
        return await connected.WaitAsync(wait, ct);
    }

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos = 0, bool retain = false, CancellationToken ct = default)
    {
        if (!client.IsConnected)
        {
            throw new MqttUnavailableException($"Not connected to {connection.Host}:{connection.Port}: {LastError ?? "not connected yet"}");
        }

        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel(Qos(qos)).WithRetainFlag(retain).Build();
        var result = await client.PublishAsync(message, ct);
        if (!result.IsSuccess)
        {
            throw new MqttUnavailableException($"The broker did not accept the message on {topic}: {result.ReasonCode} {result.ReasonString}".TrimEnd());
        }
    }

    /// <summary>Leaves without a goodbye that the broker would honour, so it publishes the last will (MQTT 5 only; 3.1.1 has no such goodbye).</summary>
    public async Task DropWithWillAsync()
    {
        await stop.CancelAsync();
        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build());
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (loop is not null)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync();
        }

        client.Dispose();
        stop.Dispose();
        connected.Dispose();
    }

    private async Task KeepConnectedAsync(CancellationToken ct)
    {
        var backoff = ReconnectMin;
        while (!ct.IsCancellationRequested)
        {
            if (!client.IsConnected)
            {
                try
                {
                    await ConnectAsync(ct);
                    (backoff, LastError) = (ReconnectMin, null);
                    connected.Release();
                    LogConnected(logger, connection.Host, connection.Port);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    var reason = ex is MqttConnectingFailedException ? $"the broker refused the connection: {ex.Message}" : ex.Message;
                    if (reason != LastError)
                    {
                        LogUnavailable(logger, connection.Host, connection.Port, reason, backoff.TotalSeconds);
                    }

                    LastError = reason;
                    await Task.Delay(backoff, clock, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, ReconnectMax.Ticks));
                    continue;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(connection.Host, connection.Port)
            .WithClientId(connection.ClientId ?? $"edge-agent-{Guid.NewGuid():N}")
            .WithProtocolVersion(connection.ProtocolVersion == "3.1.1" ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(Math.Clamp(connection.KeepAliveSeconds, 5, 3600)))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithCleanSession();
        if (connection.Username is not null)
        {
            options.WithCredentials(connection.Username, connection.Password);
        }

        if (connection.UseTls)
        {
            options.WithTlsOptions(tls => tls.UseTls());
        }

        if (connection.WillTopic is not null)
        {
            options.WithWillTopic(connection.WillTopic).WithWillPayload(connection.WillPayload ?? "").WithWillRetain(connection.WillRetain)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var result = await client.ConnectAsync(options.Build(), ct);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            await client.DisconnectAsync(cancellationToken: ct);
            var hint = result.ResultCode is MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.BadUserNameOrPassword
                ? " (check the user name and the password secret)" : "";
            throw new MqttUnavailableException($"the broker refused the connection: {result.ResultCode}{hint} {result.ReasonString}".TrimEnd());
        }

        List<(string Filter, MqttQualityOfServiceLevel Qos, Func<MqttMessage, Task> Handler)> wanted;
        lock (subscriptions)
        {
            wanted = [.. subscriptions];
        }

        try
        {
            foreach (var (filter, qos, _) in wanted.DistinctBy(s => s.Filter))
            {
                Check(filter, await client.SubscribeAsync(SubscribeOptions(filter, qos), ct));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Connected but not subscribed would stay so for ever (the loop only reconnects a lost connection): drop it,
            // and the next attempt connects and subscribes again.
            await client.DisconnectAsync(cancellationToken: CancellationToken.None);
            throw new MqttUnavailableException($"subscribing again after connecting failed: {ex.Message}");
        }
    }

    /// <summary>A filter the broker refused (no permission, bad filter) is named in <see cref="LastError"/> and logged; the others go on.</summary>
    private void Check(string filter, MqttClientSubscribeResult result)
    {
        if (result.Items.FirstOrDefault(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2) is { } refused)
        {
            LastError = $"the broker refused the subscription to {filter}: {refused.ResultCode}";
            LogRefused(logger, connection.Host, connection.Port, filter, refused.ResultCode.ToString());
        }
    }

    /// <summary>
    /// MQTT 5 sends a message once per matching subscription, each copy naming its subscription's identifier: each
    /// filter gets one (its place in the list, from 1), so a copy reaches only that filter's handlers. MQTT 3.1.1 sends
    /// one copy, which reaches every matching handler.
    /// </summary>
    private MqttClientSubscribeOptions SubscribeOptions(string filter, MqttQualityOfServiceLevel qos)
    {
        var builder = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, qos);
        if (connection.ProtocolVersion != "3.1.1")
        {
            builder.WithSubscriptionIdentifier(IdentifierOf(filter));
        }

        return builder.Build();
    }

    private uint IdentifierOf(string filter)
    {
        lock (subscriptions)
        {
            return (uint)(subscriptions.FindIndex(s => s.Filter == filter) + 1);
        }
    }

    private async Task DeliverAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = new MqttMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain);
        var copyFor = e.ApplicationMessage.SubscriptionIdentifiers is { Count: > 0 } ids ? ids.ToHashSet() : null;
        List<Func<MqttMessage, Task>> handlers;
        lock (subscriptions)
        {
            var filters = subscriptions.Select(s => (s.Filter, s.Handler, Id: (uint)(subscriptions.FindIndex(x => x.Filter == s.Filter) + 1))).ToList();
            handlers = filters.Where(s => copyFor is null
                    ? MqttTopicFilterComparer.Compare(message.Topic, s.Filter) == MqttTopicFilterCompareResult.IsMatch
                    : copyFor.Contains(s.Id))
                .Select(s => s.Handler).ToList();
        }

        foreach (var handler in handlers)
        {
            try
            {
                await handler(message);
            }
            catch (Exception ex)
            {
                // One failing handler must not stop the others or the connection.
                LogHandlerFailed(logger, message.Topic, ex);
            }
        }
    }

    private static MqttQualityOfServiceLevel Qos(int qos) => qos switch
    {
        0 => MqttQualityOfServiceLevel.AtMostOnce,
        1 => MqttQualityOfServiceLevel.AtLeastOnce,
        _ => throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS 0 or 1."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the MQTT broker {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The MQTT broker {Host}:{Port} is unavailable ({Reason}); trying again in {Seconds} s")]
    private static partial void LogUnavailable(ILogger logger, string host, int port, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The MQTT broker {Host}:{Port} refused the subscription to {Filter}: {Code}")]
    private static partial void LogRefused(ILogger logger, string host, int port, string filter, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "A handler of MQTT topic {Topic} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string topic, Exception exception);
}
