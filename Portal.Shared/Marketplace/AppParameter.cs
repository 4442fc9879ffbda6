namespace Portal.Shared.Marketplace;

/// <summary>
/// A value an operator fills in when deploying. <see cref="Type"/> is <c>string</c>, <c>int</c>, <c>number</c> or
/// <c>bool</c>; <c>${Name}</c> in a version's command and environment is replaced by it. Secret values are never shown again.
/// </summary>
public sealed record AppParameter(string Name, string Type = "string", string? Default = null, bool Required = false, bool Secret = false, string? Description = null);
