namespace Portal.Shared.Config;

/// <summary>The names an import set, in the order of the lines.</summary>
public sealed record ImportSecretsResult(IReadOnlyList<string> Names);
