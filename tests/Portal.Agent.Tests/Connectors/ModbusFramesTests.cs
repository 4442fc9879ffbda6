using Portal.Agent.Connectors.Modbus;

namespace Portal.Agent.Tests.Connectors;

/// <summary>
/// Requests and answers byte for byte, from the examples of the Modbus Application Protocol specification V1.1b3
/// (section 6), wrapped in an MBAP header with transaction 1 and unit 0x11.
/// </summary>
public sealed class ModbusFramesTests
{
    private const byte Unit = 0x11;

    [Fact]
    public void ReadHoldingRegisters_RequestAndAnswer_AsTheSpecificationShowsThem()
    {
        Assert.Equal(Hex("00 01 00 00 00 06 11 03 00 6B 00 03"), ModbusFrames.Read(1, Unit, ModbusFunction.ReadHoldingRegisters, 0x6B, 3));

        var pdu = Answer("00 01 00 00 00 09 11 03 06 02 2B 00 00 00 64");

        Assert.Equal([0x022B, 0, 0x64], ModbusFrames.Registers(ModbusFrames.ReadData(pdu, ModbusFunction.ReadHoldingRegisters, 3), 3));
    }

    [Fact]
    public void ReadCoils_NineteenBits_FirstCoilIsTheLowestBit()
    {
        Assert.Equal(Hex("00 01 00 00 00 06 11 01 00 13 00 13"), ModbusFrames.Read(1, Unit, ModbusFunction.ReadCoils, 0x13, 19));

        var bits = ModbusFrames.Bits(ModbusFrames.ReadData(Answer("00 01 00 00 00 06 11 01 03 CD 6B 05"), ModbusFunction.ReadCoils, 19), 19);

        // CD = 1100 1101: coils 20..27 read from the lowest bit up.
        Assert.Equal("1011001111010110101", string.Concat(bits.Select(b => b ? '1' : '0')));
    }

    [Fact]
    public void ReadDiscreteInputs_AndInputRegisters()
    {
        Assert.Equal(Hex("00 01 00 00 00 06 11 02 00 C4 00 16"), ModbusFrames.Read(1, Unit, ModbusFunction.ReadDiscreteInputs, 0xC4, 22));
        var inputs = ModbusFrames.Bits(ModbusFrames.ReadData(Answer("00 01 00 00 00 06 11 02 03 AC DB 35"), ModbusFunction.ReadDiscreteInputs, 22), 22);
        Assert.Equal([false, false, true, true, false, true, false, true], inputs.Take(8));

        Assert.Equal(Hex("00 01 00 00 00 06 11 04 00 08 00 01"), ModbusFrames.Read(1, Unit, ModbusFunction.ReadInputRegisters, 8, 1));
        Assert.Equal([10], ModbusFrames.Registers(ModbusFrames.ReadData(Answer("00 01 00 00 00 05 11 04 02 00 0A"), ModbusFunction.ReadInputRegisters, 1), 1));
    }

    [Fact]
    public void Writes_SingleAndMultiple_AndTheirEchoes()
    {
        var coil = ModbusFrames.WriteSingleCoil(1, Unit, 0xAC, true);
        Assert.Equal(Hex("00 01 00 00 00 06 11 05 00 AC FF 00"), coil);
        ModbusFrames.CheckWriteEcho(Answer("00 01 00 00 00 06 11 05 00 AC FF 00"), coil);

        var register = ModbusFrames.WriteSingleRegister(1, Unit, 1, 3);
        Assert.Equal(Hex("00 01 00 00 00 06 11 06 00 01 00 03"), register);
        ModbusFrames.CheckWriteEcho(Answer("00 01 00 00 00 06 11 06 00 01 00 03"), register);

        var coils = ModbusFrames.WriteMultipleCoils(1, Unit, 0x13, [true, false, true, true, false, false, true, true, true, false]);
        Assert.Equal(Hex("00 01 00 00 00 09 11 0F 00 13 00 0A 02 CD 01"), coils);
        ModbusFrames.CheckWriteEcho(Answer("00 01 00 00 00 06 11 0F 00 13 00 0A"), coils);

        var registers = ModbusFrames.WriteMultipleRegisters(1, Unit, 1, [0x000A, 0x0102]);
        Assert.Equal(Hex("00 01 00 00 00 0B 11 10 00 01 00 02 04 00 0A 01 02"), registers);
        ModbusFrames.CheckWriteEcho(Answer("00 01 00 00 00 06 11 10 00 01 00 02"), registers);

        // An answer echoing another address is not a confirmation.
        Assert.Throws<ModbusProtocolException>(() => ModbusFrames.CheckWriteEcho(Answer("00 01 00 00 00 06 11 06 00 02 00 03"), register));
    }

    [Theory]
    [InlineData(1, "illegal function")]
    [InlineData(2, "illegal data address")]
    [InlineData(3, "illegal data value")]
    [InlineData(4, "server device failure")]
    [InlineData(6, "busy")]
    [InlineData(11, "gateway target device failed to respond")]
    public void ExceptionAnswer_IsTheDevicesRefusal_NamedAsTheSpecificationNamesIt(byte code, string named)
    {
        var pdu = Answer($"00 01 00 00 00 03 11 83 {code:X2}");

        var refused = Assert.Throws<ModbusException>(() => ModbusFrames.ReadData(pdu, ModbusFunction.ReadHoldingRegisters, 1).ToArray());

        Assert.Equal((ModbusFunction.ReadHoldingRegisters, code), (refused.Function, refused.Code));
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00 02 00 00 00 05 11", "transaction 2, not 1")]
    [InlineData("00 01 00 01 00 05 11", "protocol id 1")]
    [InlineData("00 01 00 00 00 05 12", "unit 18, not 17")]
    [InlineData("00 01 00 00 01 00 11", "announces 256 bytes")]
    [InlineData("00 01 00 00 00 01 11", "announces 1 bytes")]
    public void Header_ThatDoesNotFitTheRequest_IsRefusedBeforeItsBodyIsRead(string header, string why)
    {
        var refused = Assert.Throws<ModbusProtocolException>(() => ModbusFrames.PduLength(Hex(header), 1, Unit));

        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_WithTheWrongByteCountOrFunction_IsRefused()
    {
        Assert.Throws<ModbusProtocolException>(() => ModbusFrames.ReadData(Hex("03 04 00 01 00 02"), ModbusFunction.ReadHoldingRegisters, 3).ToArray());
        Assert.Throws<ModbusProtocolException>(() => ModbusFrames.ReadData(Hex("04 02 00 01"), ModbusFunction.ReadHoldingRegisters, 1).ToArray());
        Assert.Throws<ModbusProtocolException>(() => ModbusFrames.ReadData([], ModbusFunction.ReadHoldingRegisters, 1).ToArray());
    }

    [Fact]
    public void Requests_TheProtocolCannotCarry_AreRefusedBeforeSending()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusFrames.Read(1, 1, ModbusFunction.ReadHoldingRegisters, 0, 126));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusFrames.Read(1, 1, ModbusFunction.ReadCoils, 0, 2001));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusFrames.Read(1, 1, ModbusFunction.ReadHoldingRegisters, 65535, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusFrames.WriteMultipleRegisters(1, 1, 0, new ushort[124]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusFrames.WriteMultipleCoils(1, 1, 0, []));
    }

    /// <summary>The PDU of a recorded answer to transaction 1 from unit 0x11, after its header was checked.</summary>
    private static byte[] Answer(string hex)
    {
        var adu = Hex(hex);
        Assert.Equal(adu.Length - ModbusFrames.HeaderLength, ModbusFrames.PduLength(adu, 1, Unit));
        return adu[ModbusFrames.HeaderLength..];
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
