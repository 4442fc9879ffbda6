using Portal.Agent.Docker;
using Portal.Agent.Reconciler.Commands;

namespace Portal.Agent.Reconciler;

/// <summary>
/// Runs a plan in order. A failing command is retried with capped exponential backoff; when it still fails, the
/// rest of its workload's commands are skipped and the other workloads carry on. Returns each failed workload's reason.
/// </summary>
public sealed partial class PlanRunner(TimeProvider clock, ILogger<PlanRunner> logger)
{
    public const int MaxAttempts = 3;

    public static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(4000, 250 * Math.Pow(2, attempt)));

    public async Task<IReadOnlyDictionary<string, string>> RunAsync(Plan plan, CommandContext context, CancellationToken cancellationToken)
    {
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
                catch (ContainerRuntimeException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    if (attempt + 1 >= MaxAttempts || !ex.Retryable)
                    {
                        LogGaveUp(logger, command.Show(), attempt + 1, ex.Message);
                        failures[command.Workload] = ex.Message;
                        break;
                    }

                    LogRetrying(logger, command.Show(), ex.Message);
                    await Task.Delay(Backoff(attempt), clock, cancellationToken);
                }
            }
        }

        return failures;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ran: {Command}")]
    private static partial void LogRan(ILogger logger, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed, retrying: {Command}: {Error}")]
    private static partial void LogRetrying(ILogger logger, string command, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed {Attempts} times, giving up until the next reconcile: {Command}: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string command, int attempts, string error);
}
