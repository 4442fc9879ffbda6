using Portal.Agent.Connectors.Modbus;
using Portal.Shared.Connectors;

namespace Portal.Agent.Tests.Connectors;

/// <summary>Registers to engineering values and back, for every data type and every word and byte order.</summary>
public sealed class ModbusCodecTests
{
    [Theory]
    [InlineData(ByteOrder.BigEndian, ByteOrder.BigEndian, 0x42F6, 0xE979)]       // ABCD
    [InlineData(ByteOrder.LittleEndian, ByteOrder.BigEndian, 0xE979, 0x42F6)]    // CDAB
    [InlineData(ByteOrder.BigEndian, ByteOrder.LittleEndian, 0xF642, 0x79E9)]    // BADC
    [InlineData(ByteOrder.LittleEndian, ByteOrder.LittleEndian, 0x79E9, 0xF642)] // DCBA
    public void Float32_InEveryOrder_Reads123Point456_AndWritesTheSameRegisters(ByteOrder words, ByteOrder bytes, int first, int second)
    {
        var point = Point(ModbusDataType.Float32) with { WordOrder = words, ByteOrder = bytes };
        ushort[] registers = [(ushort)first, (ushort)second];

        Assert.Equal(123.456, ModbusCodec.Decode(point, registers), 3);
        Assert.Equal(registers, ModbusCodec.Encode(point, 123.456f));
    }

    [Theory]
    [InlineData(ModbusDataType.Int16, new[] { 0xFFFE }, -2)]
    [InlineData(ModbusDataType.UInt16, new[] { 0xFFFE }, 65534)]
    [InlineData(ModbusDataType.Int32, new[] { 0xFFFF, 0xFFFE }, -2)]
    [InlineData(ModbusDataType.UInt32, new[] { 0x0001, 0x0000 }, 65536)]
    [InlineData(ModbusDataType.Float64, new[] { 0x405E, 0xDD2F, 0x1A9F, 0xBE77 }, 123.456)]
    public void EachType_ReadsAndWritesBack(ModbusDataType type, int[] registers, double value)
    {
        var point = Point(type);
        var words = registers.Select(r => (ushort)r).ToArray();

        Assert.Equal(value, ModbusCodec.Decode(point, words), 9);
        Assert.Equal(words, ModbusCodec.Encode(point, value));
    }

    [Fact]
    public void Int32_LowWordFirst()
    {
        var point = Point(ModbusDataType.Int32) with { WordOrder = ByteOrder.LittleEndian };

        Assert.Equal(70000, ModbusCodec.Decode(point, [0x1170, 0x0001]));
        Assert.Equal([0x1170, 0x0001], ModbusCodec.Encode(point, 70000));
    }

    [Fact]
    public void ScaleAndOffset_MakeEngineeringUnits_AndWritesAreRounded()
    {
        var celsius = Point(ModbusDataType.UInt16) with { Scale = 0.1, Offset = -40, Unit = "°C" };

        Assert.Equal(10.0, ModbusCodec.Decode(celsius, [500]), 9);
        Assert.Equal([500], ModbusCodec.Encode(celsius, 10.0));
        Assert.Equal([501], ModbusCodec.Encode(celsius, 10.06));
    }

    [Theory]
    [InlineData(ModbusDataType.Int16, 40000)]
    [InlineData(ModbusDataType.UInt16, -1)]
    [InlineData(ModbusDataType.UInt32, 5e9)]
    [InlineData(ModbusDataType.Float32, 1e39)]
    [InlineData(ModbusDataType.Int32, double.NaN)]
    public void Value_ItsTypeCannotHold_IsRefusedNotWrapped(ModbusDataType type, double value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusCodec.Encode(Point(type), value));

    [Fact]
    public void WrongRegisterCount_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ModbusCodec.Decode(Point(ModbusDataType.Float32), [1]));

    private static ModbusPoint Point(ModbusDataType type) => new("p", ModbusTable.HoldingRegister, 0, type);
}
