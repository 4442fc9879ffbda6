namespace Portal.Shared.Devices;

/// <summary>Body of <c>POST /api/v1/enrollment-tokens</c>. Defaults: 24 hours, one use, no labels.</summary>
public sealed record CreateEnrollmentTokenRequest(
    string Name,
    double? ExpiresInHours = null,
    int? MaxUses = null,
    IReadOnlyDictionary<string, string>? Labels = null);
