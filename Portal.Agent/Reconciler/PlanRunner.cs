using Portal.Agent.Reconciler.Commands;

namespace Portal.Agent.Reconciler;

/// <summary>
/// Runs a plan of any workload kind in order, after logging it. A failing command is retried with capped exponential
/// backoff; when it still fails, the rest of its workload's commands are skipped and the other workloads carry on.
/// Returns each failed workload's reason.
/// </summary>
public sealed partial class PlanRunner<TContext>(TimeProvider clock, ILogger<PlanRunner<TContext>> logger)
{
    public async Task<IReadOnlyDictionary<string, string>> RunAsync(Plan<TContext> plan, TContext context, long revision, CancellationToken cancellationToken)
    {
        if (!plan.IsEmpty && logger.IsEnabled(LogLevel.Information))
        {
            LogPlan(logger, revision, string.Join(Environment.NewLine + "  ", plan.Show()));
        }

        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var command in plan.Commands)
        {
            if (failures.ContainsKey(command.Workload))
            {
                continue;
            }

            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await command.ExecuteAsync(context, cancellationToken);
                    if (logger.IsEnabled(LogLevel.Information))
                    {
                        LogRan(logger, command.Show());
                    }
                    break;
                }
                catch (CommandFailedException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    if (attempt + 1 >= PlanRetry.MaxAttempts || !ex.Retryable)
                    {
                        LogGaveUp(logger, command.Show(), attempt + 1, ex.Message);
                        failures[command.Workload] = ex.Message;
                        break;
                    }

                    LogRetrying(logger, command.Show(), ex.Message);
                    await Task.Delay(PlanRetry.Backoff(attempt), clock, cancellationToken);
                }
            }
        }

        return failures;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan for revision {Revision}:\n  {Plan}")]
    private static partial void LogPlan(ILogger logger, long revision, string plan);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ran: {Command}")]
    private static partial void LogRan(ILogger logger, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed, retrying: {Command}: {Error}")]
    private static partial void LogRetrying(ILogger logger, string command, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed {Attempts} times, giving up until the next reconcile: {Command}: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string command, int attempts, string error);
}
