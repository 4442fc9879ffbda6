namespace Portal.Common;

/// <summary>What kind of storage failure an exception is, as far as a caller can act on it.</summary>
public enum StorageFailure
{
    /// <summary>Not a storage failure this portal knows.</summary>
    None,

    /// <summary>A row with the same unique key exists (a name taken, two requests racing).</summary>
    UniqueViolation,

    /// <summary>A row the change refers to is gone (deleted meanwhile).</summary>
    ForeignKeyViolation,

    /// <summary>Text the database cannot store (NUL, broken UTF-16).</summary>
    InvalidText,

    /// <summary>The data disk (or the database server's) is full.</summary>
    DiskFull,

    /// <summary>The database is busy, locked, restarting or unreachable; trying again later may work.</summary>
    Unavailable,
}
