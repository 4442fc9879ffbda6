using Portal.Agent.Reconciler.Commands;

namespace Portal.Agent.Inference.Commands;

/// <summary>Stops serving a model no longer desired; a request still running on it finishes first (see <see cref="ServedModel.Acquire"/>).</summary>
public sealed class UnloadModelCommand(string name, int version) : IPlanCommand<ModelCommandContext>
{
    public string Workload => name;

    public Task ExecuteAsync(ModelCommandContext context, CancellationToken cancellationToken)
    {
        context.Host.Remove(name);
        return Task.CompletedTask;
    }

    public string Show() => $"unload model {name} v{version}";
}
