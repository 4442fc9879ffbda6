namespace Portal.Agent.Connectors.Mqtt;

/// <summary>A publish could not be done now (not connected, or the broker refused it); the message says why.</summary>
public sealed class MqttUnavailableException(string message) : Exception(message);
