namespace Portal.Features.FleetConfig;

/// <summary>
/// What one device's apps may reference: its effective config values and its secrets (layered like config), secrets in
/// plain, and its registry credentials (password in plain). Lives only in memory while desired states are computed or a deployment is checked.
/// </summary>
public sealed record DeviceConfig(IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> Secrets, IReadOnlyDictionary<string, string>? Files = null,
    IReadOnlyList<Portal.Shared.Workloads.RegistryAuth>? Registries = null)
{
    public static DeviceConfig Empty { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>Whether the device has the key or secret a reference names.</summary>
    public bool Has(ConfigReference reference) =>
        reference.IsSecret ? Secrets.ContainsKey(reference.Key) : Values.ContainsKey(reference.Key);
}
