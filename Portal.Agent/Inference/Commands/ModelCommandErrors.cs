using Microsoft.ML.OnnxRuntime;
using Portal.Agent.Reconciler.Commands;

namespace Portal.Agent.Inference.Commands;

/// <summary>Turns what can go wrong while installing a model into a reason an operator can act on; the next reconcile tries again.</summary>
internal static class ModelCommandErrors
{
    public static async Task Run(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (ModelArtifactException ex)
        {
            throw new CommandFailedException(ex.Message, ex) { Retryable = false };
        }
        catch (OnnxRuntimeException ex)
        {
            throw new CommandFailedException($"The model could not be loaded: {ex.Message}", ex) { Retryable = false };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new CommandFailedException($"The model could not be installed: {ex.Message}", ex) { Retryable = false };
        }
    }
}
