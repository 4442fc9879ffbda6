namespace Portal.Agent.Reconciler.Commands;

/// <summary>One step of a plan. <see cref="Show"/> reads like the command it stands for (<c>docker pull ...</c>); plans are logged that way.</summary>
public interface IPlanCommand<in TContext>
{
    /// <summary>The workload this step serves; when it fails for good, the rest of that workload's steps are skipped.</summary>
    string Workload { get; }

    Task ExecuteAsync(TContext context, CancellationToken cancellationToken);

    string Show();
}
