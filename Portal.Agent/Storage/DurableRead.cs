namespace Portal.Agent.Storage;

public enum DurableReadOutcome
{
    /// <summary>There is no such file (a first start).</summary>
    Missing,

    /// <summary>The file was read.</summary>
    Read,

    /// <summary>The file was damaged; its last good copy was read (<see cref="DurableRead{T}.Problem"/> says what was wrong).</summary>
    ReadFromBackup,

    /// <summary>The file and its last good copy are both damaged or absent.</summary>
    Damaged,
}

/// <summary>What <see cref="DurableFile.ReadJson{T}"/> found.</summary>
public sealed record DurableRead<T>(DurableReadOutcome Outcome, T? Value, string? Problem) where T : class;
