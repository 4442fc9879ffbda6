namespace Portal.Features.Compose;

/// <summary>
/// A service's volume: a named volume, or (<see cref="IsBind"/>) a path relative to the app's own data folder on the
/// device (<c>./data</c>); nothing else on the host can be mounted.
/// </summary>
public sealed record ComposeVolume(string Source, string Target, bool ReadOnly, bool IsBind);
