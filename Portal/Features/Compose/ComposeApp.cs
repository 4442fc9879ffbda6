namespace Portal.Features.Compose;

/// <summary>A parsed, validated compose file: its services (in file order) and the named volumes it declares.</summary>
public sealed record ComposeApp(IReadOnlyList<ComposeService> Services, IReadOnlyList<string> Volumes)
{
    /// <summary>Every device any service asks for, for the admin who certifies the app.</summary>
    public IReadOnlyList<string> Devices => [.. Services.SelectMany(s => s.Devices).Distinct(StringComparer.Ordinal)];
}
