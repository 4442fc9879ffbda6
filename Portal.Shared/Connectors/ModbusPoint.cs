namespace Portal.Shared.Connectors;

/// <summary>
/// One value on a Modbus device: where it is (<see cref="Table"/>, zero-based <see cref="Address"/>, <see cref="UnitId"/>),
/// how its registers make a number (<see cref="DataType"/>, <see cref="WordOrder"/>, <see cref="ByteOrder"/>) and how that
/// number becomes an engineering value: <c>value = raw × Scale + Offset</c>, in <see cref="Unit"/>. Read every
/// <see cref="PollIntervalMs"/> milliseconds.
/// </summary>
public sealed record ModbusPoint(
    string Name,
    ModbusTable Table,
    int Address,
    ModbusDataType DataType = ModbusDataType.UInt16,
    ByteOrder WordOrder = ByteOrder.BigEndian,
    ByteOrder ByteOrder = ByteOrder.BigEndian,
    double Scale = 1,
    double Offset = 0,
    string? Unit = null,
    byte UnitId = 1,
    int PollIntervalMs = 1000)
{
    /// <summary>How many 16-bit registers the point spans (1 for coils and discrete inputs, which are bits).</summary>
    public int RegisterCount => DataType switch
    {
        ModbusDataType.Int32 or ModbusDataType.UInt32 or ModbusDataType.Float32 => 2,
        ModbusDataType.Float64 => 4,
        _ => 1,
    };

    /// <summary>Coils and holding registers can be written; discrete inputs and input registers are read-only.</summary>
    public bool Writable => Table is ModbusTable.Coil or ModbusTable.HoldingRegister;
}
