using Portal.Agent.Reconciler.Commands;

namespace Portal.Agent.Docker;

/// <summary>The engine refused or failed an operation; <see cref="Exception.Message"/> is the engine's reason, fit to show an operator.</summary>
public sealed class ContainerRuntimeException : CommandFailedException
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
}
