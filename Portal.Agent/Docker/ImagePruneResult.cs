namespace Portal.Agent.Docker;

/// <summary>What pruning images did: how many went, the bytes they held, how many stayed (in use or needed), and what the engine refused.</summary>
public sealed record ImagePruneResult(int Removed, long FreedBytes, int Kept, IReadOnlyList<string> Refused);
