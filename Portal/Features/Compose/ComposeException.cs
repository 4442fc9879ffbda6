namespace Portal.Features.Compose;

/// <summary>A compose file refused: the line (1-based, 0 when the whole file is meant) and a reason a person can act on.</summary>
public sealed class ComposeException(int line, string reason)
    : Exception(line > 0 ? $"Line {line}: {reason}" : reason)
{
    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
