namespace Portal.Shared.Connectors;

/// <summary>
/// An MQTT broker the agent talks to (one on the device, a marketplace app such as Mosquitto, or one elsewhere on the
/// plant network). <see cref="Password"/> arrives resolved from a <c>${secret:NAME}</c>; <see cref="ProtocolVersion"/> is
/// "3.1.1" or "5". <see cref="WillTopic"/>, when set, is published by the broker with <see cref="WillPayload"/> if the
/// agent disappears without saying goodbye.
/// </summary>
public sealed record MqttConnection(
    string Host,
    int Port = 1883,
    string? ClientId = null,
    string? Username = null,
    string? Password = null,
    bool UseTls = false,
    string ProtocolVersion = "5",
    int KeepAliveSeconds = 30,
    string? WillTopic = null,
    string? WillPayload = null,
    bool WillRetain = false);
