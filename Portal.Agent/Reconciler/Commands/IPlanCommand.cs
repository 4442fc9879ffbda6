namespace Portal.Agent.Reconciler.Commands;

/// <summary>One step of a plan. <see cref="Show"/> reads like the docker command it stands for; plans are logged that way.</summary>
public interface IPlanCommand
{
    /// <summary>The workload this step serves; when it fails for good, the rest of that workload's steps are skipped.</summary>
    string Workload { get; }

    Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken);

    string Show();
}
