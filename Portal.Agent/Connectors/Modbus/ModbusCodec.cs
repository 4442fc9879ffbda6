using System.Buffers.Binary;
using Portal.Shared.Connectors;

namespace Portal.Agent.Connectors.Modbus;

/// <summary>
/// Pure: a point's registers as an engineering value and back. The registers are put in big-endian protocol order
/// (most significant first) according to the point's word order, each register's two bytes swapped first when its
/// byte order is little-endian; then read as the data type; then <c>raw × Scale + Offset</c>.
/// </summary>
public static class ModbusCodec
{
    public static double Decode(ModbusPoint point, IReadOnlyList<ushort> registers)
    {
        if (registers.Count != point.RegisterCount)
        {
            throw new ArgumentException($"{point.Name} spans {point.RegisterCount} registers, got {registers.Count}.", nameof(registers));
        }

        Span<byte> bytes = stackalloc byte[2 * registers.Count];
        Arrange(point, registers, bytes);
        double raw = point.DataType switch
        {
            ModbusDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(bytes),
            ModbusDataType.UInt16 or ModbusDataType.Bool => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            ModbusDataType.Int32 => BinaryPrimitives.ReadInt32BigEndian(bytes),
            ModbusDataType.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            ModbusDataType.Float32 => BinaryPrimitives.ReadSingleBigEndian(bytes),
            ModbusDataType.Float64 => BinaryPrimitives.ReadDoubleBigEndian(bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(point), point.DataType, "Unknown data type."),
        };
        return (raw * point.Scale) + point.Offset;
    }

    /// <summary>The registers that hold <paramref name="value"/> for this point; a value its type cannot hold is refused, not wrapped.</summary>
    public static ushort[] Encode(ModbusPoint point, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{point.Name}: not a number.");
        }

        var raw = point.Scale == 0 ? throw new ArgumentException($"{point.Name} has scale 0: no value can be written.", nameof(point)) : (value - point.Offset) / point.Scale;
        Span<byte> bytes = stackalloc byte[2 * point.RegisterCount];
        switch (point.DataType)
        {
            case ModbusDataType.Int16:
                BinaryPrimitives.WriteInt16BigEndian(bytes, (short)Whole(point, raw, short.MinValue, short.MaxValue));
                break;
            case ModbusDataType.UInt16 or ModbusDataType.Bool:
                BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)Whole(point, raw, ushort.MinValue, ushort.MaxValue));
                break;
            case ModbusDataType.Int32:
                BinaryPrimitives.WriteInt32BigEndian(bytes, (int)Whole(point, raw, int.MinValue, int.MaxValue));
                break;
            case ModbusDataType.UInt32:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Whole(point, raw, uint.MinValue, uint.MaxValue));
                break;
            case ModbusDataType.Float32:
                BinaryPrimitives.WriteSingleBigEndian(bytes, Math.Abs(raw) <= float.MaxValue ? (float)raw : throw OutOfRange(point, value));
                break;
            default:
                BinaryPrimitives.WriteDoubleBigEndian(bytes, raw);
                break;
        }

        // Big-endian bytes into protocol registers: the same arrangement, applied backwards.
        var ordered = new ushort[point.RegisterCount];
        for (var i = 0; i < ordered.Length; i++)
        {
            ordered[i] = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]);
        }

        Span<byte> back = stackalloc byte[bytes.Length];
        Arrange(point, ordered, back);
        var registers = new ushort[point.RegisterCount];
        for (var i = 0; i < registers.Length; i++)
        {
            registers[i] = BinaryPrimitives.ReadUInt16BigEndian(back[(2 * i)..]);
        }

        return registers;
    }

    /// <summary>
    /// Writes the registers as big-endian bytes, most significant first. Both orders are their own inverse (a reversal,
    /// a swap), so the same arrangement turns protocol registers into a number's bytes and a number's bytes into registers.
    /// </summary>
    private static void Arrange(ModbusPoint point, IReadOnlyList<ushort> registers, Span<byte> bytes)
    {
        for (var i = 0; i < registers.Count; i++)
        {
            var word = registers[point.WordOrder == ByteOrder.BigEndian ? i : registers.Count - 1 - i];
            if (point.ByteOrder == ByteOrder.LittleEndian)
            {
                word = BinaryPrimitives.ReverseEndianness(word);
            }

            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * i)..], word);
        }
    }

    private static double Whole(ModbusPoint point, double raw, double min, double max)
    {
        var rounded = Math.Round(raw, MidpointRounding.AwayFromZero);
        return rounded >= min && rounded <= max ? rounded : throw OutOfRange(point, raw);
    }

    private static ArgumentOutOfRangeException OutOfRange(ModbusPoint point, double value) =>
        new(nameof(value), value, $"{point.Name}: {value} does not fit a {point.DataType} register value (after scale {point.Scale} and offset {point.Offset}).");
}
