namespace Portal.Common;

/// <summary>How a service operation ended; endpoints turn each into a status code, pages into a message.</summary>
public enum OperationOutcome
{
    Ok,
    NotFound,
    Invalid,
    Conflict,
    Unauthorized,
    TooLarge,

    /// <summary>The data disk is full: nothing was stored (507).</summary>
    InsufficientStorage,

    /// <summary>The caller is signed in but may not do this (403): for example approving their own request.</summary>
    Forbidden,
}
