namespace Portal.Shared.Workloads;

/// <summary>Lines of a followed container log, sent by the agent while someone watches.</summary>
public sealed record LogChunk(string Workload, IReadOnlyList<LogLine> Lines)
{
    public const int MaxLines = 500;
}
