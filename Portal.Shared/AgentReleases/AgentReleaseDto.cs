namespace Portal.Shared.AgentReleases;

/// <summary>An uploaded agent release: its version, notes, and one file per architecture.</summary>
public sealed record AgentReleaseDto(
    string Id,
    string Version,
    string? ReleaseNotes,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    IReadOnlyList<AgentReleaseFileDto> Files,
    int DevicesOnIt);

/// <summary>One architecture's file of a release: its size and SHA-256 (what the portal signed).</summary>
public sealed record AgentReleaseFileDto(string Architecture, long SizeBytes, string Sha256);
