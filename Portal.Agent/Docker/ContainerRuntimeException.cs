namespace Portal.Agent.Docker;

/// <summary>The engine refused or failed an operation; <see cref="Exception.Message"/> is the engine's reason, fit to show an operator.</summary>
public sealed class ContainerRuntimeException : Exception
{
    public ContainerRuntimeException()
    {
    }

    public ContainerRuntimeException(string message)
        : base(message)
    {
    }

    public ContainerRuntimeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>False when retrying at once cannot help and the caller keeps its own schedule (a failed image pull).</summary>
    public bool Retryable { get; init; } = true;
}
