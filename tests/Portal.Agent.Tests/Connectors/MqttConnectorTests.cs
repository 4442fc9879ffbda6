using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Connectors.Mqtt;
using Portal.Shared.Connectors;
using Portal.Testing;

namespace Portal.Agent.Tests.Connectors;

/// <summary>
/// The MQTT connector against a real broker (Debian's mosquitto with a password file): wildcard subscriptions and
/// publishes on MQTT 3.1.1 and 5, a wrong password refused with the broker's reason, the subscription restored after
/// the broker restarts, and the last will published when the agent drops away.
/// </summary>
public sealed class MqttConnectorTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly List<MqttConnector> connectors = [];
    private MosquittoBroker? broker;

    public async ValueTask InitializeAsync()
    {
        if (MosquittoBroker.Missing() is { } missing)
        {
            Assert.Skip($"No MQTT broker to test against: {missing}.");
        }

        broker = await MosquittoBroker.StartAsync(ct);
    }

    [Theory]
    [InlineData("3.1.1")]
    [InlineData("5")]
    public async Task Wildcards_ReceiveWhatMatches_PublishesArrive(string version)
    {
        var subscriber = await ConnectedAsync(version);
        var publisher = await ConnectedAsync(version);
        var temps = new ConcurrentQueue<(string Topic, double Value)>();
        var everything = new ConcurrentQueue<string>();
        await subscriber.SubscribeAsync("plant/+/temp", 1, m => Enqueue(temps, (m.Topic, MqttPayload.ReadNumber(m.Payload.Span, "value"))), ct);
        await subscriber.SubscribeAsync("plant/#", 0, m => Enqueue(everything, m.Topic), ct);

        await publisher.PublishAsync("plant/oven-1/temp", Encoding.UTF8.GetBytes("""{"value":182.5}"""), qos: 1, ct: ct);
        await publisher.PublishAsync("plant/oven-1/door", Encoding.UTF8.GetBytes("1"), ct: ct);
        await publisher.PublishAsync("plant/oven-2/temp", Encoding.UTF8.GetBytes("""{"value":90}"""), qos: 1, ct: ct);

        await UntilAsync(() => temps.Count == 2 && everything.Count == 3);
        Assert.Equal([("plant/oven-1/temp", 182.5), ("plant/oven-2/temp", 90.0)], temps.OrderBy(t => t.Topic));
        Assert.Equal(["plant/oven-1/door", "plant/oven-1/temp", "plant/oven-2/temp"], everything.Order());
    }

    [Fact]
    public async Task WrongPassword_NeverConnects_TheBrokersReasonIsKept()
    {
        var connector = Connector("5", password: "wrong");

        Assert.False(await connector.StartAsync(TimeSpan.FromSeconds(2), ct));

        Assert.False(connector.IsConnected);
        Assert.Contains("the broker refused the connection", connector.LastError, StringComparison.Ordinal);
        // Mosquitto answers an MQTT 5 client with a wrong password "not authorized" (0x87).
        Assert.Contains("NotAuthorized (check the user name and the password secret)", connector.LastError, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<MqttUnavailableException>(() => connector.PublishAsync("plant/x", new byte[] { 1 }, ct: ct));
        Assert.Contains("Not connected to 127.0.0.1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerRestart_TheConnectorReconnects_AndItsSubscriptionIsBack()
    {
        var subscriber = await ConnectedAsync("5");
        var received = new ConcurrentQueue<string>();
        await subscriber.SubscribeAsync("line/+/count", 1, m => Enqueue(received, Encoding.UTF8.GetString(m.Payload.Span)), ct);

        await broker!.StopAsync();
        await UntilAsync(() => !subscriber.IsConnected);
        await broker.StartAgainAsync(ct);
        await UntilAsync(() => subscriber.IsConnected);

        // The broker kept nothing (persistence off): only a new subscription can deliver this.
        var publisher = await ConnectedAsync("5");
        await publisher.PublishAsync("line/7/count", Encoding.UTF8.GetBytes("41"), qos: 1, ct: ct);
        await UntilAsync(() => received.Contains("41"));
    }

    [Fact]
    public async Task AgentDropsAway_TheBrokerPublishesItsLastWill()
    {
        var watcher = await ConnectedAsync("5");
        var wills = new ConcurrentQueue<string>();
        await watcher.SubscribeAsync("agents/+/status", 1, m => Enqueue(wills, $"{m.Topic}={Encoding.UTF8.GetString(m.Payload.Span)}"), ct);
        var agent = Connector("5", will: ("agents/press-7/status", "offline"));
        Assert.True(await agent.StartAsync(TimeSpan.FromSeconds(10), ct));

        await agent.DropWithWillAsync();

        await UntilAsync(() => wills.Contains("agents/press-7/status=offline"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connector in connectors)
        {
            await connector.DisposeAsync();
        }

        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }

    private static Task Enqueue<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        return Task.CompletedTask;
    }

    private async Task<MqttConnector> ConnectedAsync(string version)
    {
        var connector = Connector(version);
        Assert.True(await connector.StartAsync(TimeSpan.FromSeconds(10), ct), connector.LastError);
        return connector;
    }

    private MqttConnector Connector(string version, string password = MosquittoBroker.Password, (string Topic, string Payload)? will = null)
    {
        var connector = new MqttConnector(
            new MqttConnection("127.0.0.1", broker!.Port, Username: MosquittoBroker.User, Password: password, ProtocolVersion: version, WillTopic: will?.Topic, WillPayload: will?.Payload),
            TimeProvider.System, NullLogger.Instance, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));
        connectors.Add(connector);
        return connector;
    }

    private async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(50, ct);
        }
    }
}
