namespace Portal.Features.Compose;

/// <summary>
/// An uploaded stack: the compose file (its name and text) and the config files uploaded beside it, by name, which
/// become the app version's <c>ComposeFiles</c> (what <c>env_file</c> reads).
/// </summary>
public sealed record ComposeBundle(string ComposeFileName, string Compose, IReadOnlyDictionary<string, string> Files);
