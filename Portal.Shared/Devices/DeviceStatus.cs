using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Devices;

[JsonConverter(typeof(EnumNameConverter<DeviceStatus>))]
public enum DeviceStatus
{
    Offline,
    Online,
    Revoked,
}
