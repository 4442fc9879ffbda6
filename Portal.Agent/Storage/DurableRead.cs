namespace Portal.Agent.Storage;

/// <summary>What <see cref="DurableFile.ReadJson{T}"/> found.</summary>
public sealed record DurableRead<T>(DurableReadOutcome Outcome, T? Value, string? Problem) where T : class;
