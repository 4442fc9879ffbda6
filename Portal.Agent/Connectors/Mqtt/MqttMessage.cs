namespace Portal.Agent.Connectors.Mqtt;

/// <summary>A message as a subscriber gets it: its topic, its payload bytes and whether the broker kept it (retained).</summary>
public sealed record MqttMessage(string Topic, ReadOnlyMemory<byte> Payload, bool Retained);
