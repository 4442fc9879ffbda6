using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Connectors;

/// <summary>The four Modbus data tables: 1-bit coils (read/write) and discrete inputs (read), 16-bit holding registers (read/write) and input registers (read).</summary>
[JsonConverter(typeof(EnumNameConverter<ModbusTable>))]
public enum ModbusTable
{
    Coil,
    DiscreteInput,
    HoldingRegister,
    InputRegister,
}
