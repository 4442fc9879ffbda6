namespace Portal.Agent.Reconciler.Commands;

/// <summary>A plan command failed for a reason fit to show an operator; <see cref="PlanRunner{TContext}"/> reports it as the workload's reason.</summary>
public class CommandFailedException : Exception
{
    public CommandFailedException()
    {
    }

    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>False when retrying at once cannot help and the workload waits for the next reconcile or its own schedule.</summary>
    public bool Retryable { get; init; } = true;
}
