using Portal.Agent.Reconciler.Commands;
using Portal.Shared.Workloads;

namespace Portal.Agent.Inference.Commands;

/// <summary>Loads the fetched file into an inference session and serves it under the model's name; a previous version keeps serving until then.</summary>
public sealed class LoadModelCommand(ModelWorkloadSpec spec) : IPlanCommand<ModelCommandContext>
{
    public string Workload => spec.Name;

    public Task ExecuteAsync(ModelCommandContext context, CancellationToken cancellationToken) => ModelCommandErrors.Run(async () =>
    {
        context.Progress(spec, WorkloadState.Loading, null);
        var path = context.Fetched.GetValueOrDefault(spec.Name) ?? context.Artifacts.PathOf(spec.Sha256);
        var model = await Task.Run(() => new ServedModel(spec, path, context.IntraOpThreads), cancellationToken);
        context.Host.Put(model);
        context.Loaded(model);
    });

    public string Show() => $"load model {spec.Name} v{spec.Version} on {spec.ExecutionProvider}";
}
