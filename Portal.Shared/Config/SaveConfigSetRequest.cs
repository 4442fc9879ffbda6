namespace Portal.Shared.Config;

/// <summary>The whole set at one level (PUT replaces it): keys/values, and files by name with their text.</summary>
public sealed record SaveConfigSetRequest(IReadOnlyDictionary<string, string>? Values, IReadOnlyDictionary<string, string>? Files);
