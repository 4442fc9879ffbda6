namespace Portal.Agent.Connectors.Modbus;

/// <summary>
/// Where a Modbus TCP device is and how patiently to talk to it: <see cref="Timeout"/> per request (connecting
/// included); after a failure the next connection is tried no sooner than <see cref="ReconnectMin"/>, doubling up to
/// <see cref="ReconnectMax"/> while it keeps failing, so a device that is away is not hammered.
/// </summary>
public sealed record ModbusClientOptions(string Host, int Port = 502)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMin { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(30);
}
