namespace Portal.Shared.Workloads;

/// <summary>One line of a container's output, with Docker's timestamp; <see cref="Stream"/> is stdout or stderr.</summary>
public sealed record LogLine(DateTimeOffset At, string Stream, string Text);
