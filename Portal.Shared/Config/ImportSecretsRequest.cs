namespace Portal.Shared.Config;

/// <summary><c>KEY=value</c> lines (blank lines and lines starting with <c>#</c> are skipped) set as plain secrets at one level.</summary>
public sealed record ImportSecretsRequest(string? Lines);
