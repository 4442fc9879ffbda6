using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Config;

/// <summary>Where a config set or secret is kept; a device's effective config takes them in this order, later overriding earlier.</summary>
[JsonConverter(typeof(EnumNameConverter<ConfigLevel>))]
public enum ConfigLevel
{
    Fleet,
    Group,
    Device,
}
