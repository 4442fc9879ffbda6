namespace Portal.Shared.Marketplace;

/// <summary>
/// An app as an admin submits it (form or JSON upload) and as the shipped catalog stores it, one JSON file per app.
/// <see cref="Id"/> is a lowercase slug (<c>mosquitto</c>) that names the app's workload on devices.
/// </summary>
public sealed record AppDefinition(
    string Id,
    string Name,
    string Publisher,
    string Category,
    string Description,
    string? Icon,
    IReadOnlyList<AppVersion> Versions);
