namespace Portal.Common;

/// <summary>A service operation's value, or why there is none in words a person can act on.</summary>
public sealed record OperationResult<T>(OperationOutcome Outcome, T? Value = default, string? Error = null)
{
    public bool Succeeded => Outcome == OperationOutcome.Ok;

    public static OperationResult<T> Ok(T value) => new(OperationOutcome.Ok, value);

    public static OperationResult<T> Fail(OperationOutcome outcome, string error) => new(outcome, default, error);
}
