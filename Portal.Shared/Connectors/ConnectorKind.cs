using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Connectors;

/// <summary>
/// The kinds of plant connection a data flow can read from or write to. <see cref="OpcUa"/> is named so that flows and
/// their validation can speak of it, but it is not built: no .NET OPC UA stack is available to this project, and the
/// agent refuses a flow that uses it rather than pretend.
/// </summary>
[JsonConverter(typeof(EnumNameConverter<ConnectorKind>))]
public enum ConnectorKind
{
    Modbus,
    Mqtt,
    OpcUa,
}
