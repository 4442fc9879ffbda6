using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Connectors;

/// <summary>
/// The order of a multi-byte value's parts. For a point's <c>WordOrder</c>: BigEndian puts the most significant register
/// first (the Modbus convention; "ABCD"), LittleEndian the least significant first ("CDAB"). For its <c>ByteOrder</c>:
/// BigEndian is the protocol's order within each register, LittleEndian swaps the two bytes ("BADC" with big-endian words).
/// </summary>
[JsonConverter(typeof(EnumNameConverter<ByteOrder>))]
public enum ByteOrder
{
    BigEndian,
    LittleEndian,
}
