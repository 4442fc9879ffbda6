using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Connectors;

/// <summary>How a point's registers are read as a number: one register (16-bit types), two (32-bit) or four (Float64). Bool is a coil or discrete input.</summary>
[JsonConverter(typeof(EnumNameConverter<ModbusDataType>))]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "These are the names register maps and operators use for Modbus data types.")]
public enum ModbusDataType
{
    Bool,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Float32,
    Float64,
}
