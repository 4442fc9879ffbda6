namespace Portal.Agent.Connectors.Modbus;

/// <summary>
/// The device answered with a Modbus exception response (function code + 0x80): the request reached it and was refused.
/// The message names the exception as the Modbus Application Protocol specification does, with what usually causes it.
/// </summary>
public sealed class ModbusException(byte function, byte code)
    : Exception($"Modbus exception {code} ({Describe(code)}) for function {function}")
{
    public byte Function { get; } = function;

    public byte Code { get; } = code;

    public static string Describe(byte code) => code switch
    {
        1 => "illegal function: the device does not support this function code",
        2 => "illegal data address: no such register or coil on the device (check the address, zero-based, and the unit id)",
        3 => "illegal data value: the quantity or value is not allowed",
        4 => "server device failure",
        5 => "acknowledge: the device accepted a long-running request",
        6 => "server device busy: try again later",
        8 => "memory parity error",
        10 => "gateway path unavailable",
        11 => "gateway target device failed to respond (check the unit id behind the gateway)",
        _ => "unknown exception code",
    };
}

/// <summary>The answer was not a valid Modbus TCP frame for the request (wrong transaction, length, function or size), or no answer came in time.</summary>
public sealed class ModbusProtocolException(string message, Exception? inner = null) : Exception(message, inner);
