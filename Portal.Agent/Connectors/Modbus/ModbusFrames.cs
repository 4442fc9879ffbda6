using System.Buffers.Binary;

namespace Portal.Agent.Connectors.Modbus;

/// <summary>
/// Pure: Modbus TCP application data units. A request is the MBAP header (transaction id, protocol 0, length of what
/// follows, unit id) and a PDU (function code and data, big-endian). A response is checked against its request
/// before anything in it is believed: transaction id, protocol, length, unit id, function (an exception response is
/// function + 0x80 and one exception code) and the size its function implies.
/// </summary>
public static class ModbusFrames
{
    public const int HeaderLength = 7;

    /// <summary>The largest PDU the protocol allows; a header announcing more is refused before reading it.</summary>
    public const int MaxPdu = 253;

    public static byte[] Read(ushort transaction, byte unit, byte function, int address, int count)
    {
        var max = function is ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs ? ModbusFunction.MaxReadBits : ModbusFunction.MaxReadRegisters;
        CheckRange(address, count, max);
        Span<byte> pdu = stackalloc byte[5];
        pdu[0] = function;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], (ushort)address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], (ushort)count);
        return Adu(transaction, unit, pdu);
    }

    public static byte[] WriteSingleCoil(ushort transaction, byte unit, int address, bool on)
    {
        CheckRange(address, 1, 1);
        Span<byte> pdu = stackalloc byte[5];
        pdu[0] = ModbusFunction.WriteSingleCoil;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], (ushort)address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], on ? (ushort)0xFF00 : (ushort)0x0000);
        return Adu(transaction, unit, pdu);
    }

    public static byte[] WriteSingleRegister(ushort transaction, byte unit, int address, ushort value)
    {
        CheckRange(address, 1, 1);
        Span<byte> pdu = stackalloc byte[5];
        pdu[0] = ModbusFunction.WriteSingleRegister;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], (ushort)address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], value);
        return Adu(transaction, unit, pdu);
    }

    public static byte[] WriteMultipleCoils(ushort transaction, byte unit, int address, IReadOnlyList<bool> values)
    {
        CheckRange(address, values.Count, ModbusFunction.MaxWriteBits);
        var bytes = (values.Count + 7) / 8;
        var pdu = new byte[6 + bytes];
        pdu[0] = ModbusFunction.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(1), (ushort)address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(3), (ushort)values.Count);
        pdu[5] = (byte)bytes;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i])
            {
                // The first coil is the least significant bit of the first byte.
                pdu[6 + (i / 8)] |= (byte)(1 << (i % 8));
            }
        }

        return Adu(transaction, unit, pdu);
    }

    public static byte[] WriteMultipleRegisters(ushort transaction, byte unit, int address, IReadOnlyList<ushort> values)
    {
        CheckRange(address, values.Count, ModbusFunction.MaxWriteRegisters);
        var pdu = new byte[6 + (2 * values.Count)];
        pdu[0] = ModbusFunction.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(1), (ushort)address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(3), (ushort)values.Count);
        pdu[5] = (byte)(2 * values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(6 + (2 * i)), values[i]);
        }

        return Adu(transaction, unit, pdu);
    }

    /// <summary>How many bytes follow a response's 7-byte header (its PDU), from the header's length field.</summary>
    public static int PduLength(ReadOnlySpan<byte> header, ushort transaction, byte unit)
    {
        var id = BinaryPrimitives.ReadUInt16BigEndian(header);
        var protocol = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        if (protocol != 0)
        {
            throw new ModbusProtocolException($"The answer is not Modbus TCP (protocol id {protocol}, expected 0).");
        }

        if (id != transaction)
        {
            throw new ModbusProtocolException($"The answer is for transaction {id}, not {transaction}.");
        }

        if (length < 2 || length - 1 > MaxPdu)
        {
            throw new ModbusProtocolException($"The answer announces {length} bytes, outside the 2 to {MaxPdu + 1} a Modbus frame holds.");
        }

        if (header[6] != unit)
        {
            throw new ModbusProtocolException($"The answer comes from unit {header[6]}, not {unit}.");
        }

        return length - 1;
    }

    /// <summary>The data of a read's answer, checked: an exception response throws <see cref="ModbusException"/>.</summary>
    public static ReadOnlySpan<byte> ReadData(ReadOnlySpan<byte> pdu, byte function, int count)
    {
        CheckFunction(pdu, function);
        var expected = function is ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs ? (count + 7) / 8 : 2 * count;
        if (pdu.Length < 2 || pdu[1] != expected || pdu.Length != 2 + expected)
        {
            throw new ModbusProtocolException($"The answer to function {function} holds {(pdu.Length < 2 ? 0 : pdu[1])} data bytes, expected {expected}.");
        }

        return pdu[2..];
    }

    public static bool[] Bits(ReadOnlySpan<byte> data, int count)
    {
        var bits = new bool[count];
        for (var i = 0; i < count; i++)
        {
            bits[i] = (data[i / 8] & (1 << (i % 8))) != 0;
        }

        return bits;
    }

    public static ushort[] Registers(ReadOnlySpan<byte> data, int count)
    {
        var registers = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            registers[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(2 * i)..]);
        }

        return registers;
    }

    /// <summary>A write's answer echoes its address and value (single) or address and quantity (multiple).</summary>
    public static void CheckWriteEcho(ReadOnlySpan<byte> pdu, ReadOnlySpan<byte> request)
    {
        var sent = request[HeaderLength..];
        CheckFunction(pdu, sent[0]);
        if (pdu.Length != 5 || !pdu[1..5].SequenceEqual(sent[1..5]))
        {
            throw new ModbusProtocolException($"The answer to write function {sent[0]} does not echo its address and value.");
        }
    }

    private static void CheckFunction(ReadOnlySpan<byte> pdu, byte function)
    {
        if (pdu.Length == 2 && pdu[0] == (function | 0x80))
        {
            throw new ModbusException(function, pdu[1]);
        }

        if (pdu.Length == 0 || pdu[0] != function)
        {
            throw new ModbusProtocolException($"The answer is for function {(pdu.Length == 0 ? 0 : pdu[0])}, not {function}.");
        }
    }

    private static void CheckRange(int address, int count, int max)
    {
        if (count < 1 || count > max)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 1 and {max} at once.");
        }

        if (address < 0 || address + count > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, "Addresses are 0 to 65535 (zero-based).");
        }
    }

    private static byte[] Adu(ushort transaction, byte unit, ReadOnlySpan<byte> pdu)
    {
        var adu = new byte[HeaderLength + pdu.Length];
        BinaryPrimitives.WriteUInt16BigEndian(adu, transaction);
        BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), (ushort)(pdu.Length + 1));
        adu[6] = unit;
        pdu.CopyTo(adu.AsSpan(HeaderLength));
        return adu;
    }
}
