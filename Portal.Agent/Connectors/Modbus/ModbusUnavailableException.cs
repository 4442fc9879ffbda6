namespace Portal.Agent.Connectors.Modbus;

/// <summary>The device could not be reached (or was not tried again yet, backing off after a failure); the message says why and when it is tried next.</summary>
public sealed class ModbusUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
