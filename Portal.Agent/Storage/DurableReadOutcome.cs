namespace Portal.Agent.Storage;

/// <summary>What <see cref="DurableFile.ReadJson{T}"/> found on disk.</summary>
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
