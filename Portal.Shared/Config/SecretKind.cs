using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Config;

/// <summary>A plain secret value, or the credential for a private container registry (server, user, password or token).</summary>
[JsonConverter(typeof(EnumNameConverter<SecretKind>))]
public enum SecretKind
{
    Value,
    RegistryCredential,
}
