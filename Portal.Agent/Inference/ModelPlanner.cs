using Portal.Agent.Inference.Commands;
using Portal.Agent.Reconciler;
using Portal.Agent.Reconciler.Commands;
using Portal.Shared.Workloads;

namespace Portal.Agent.Inference;

/// <summary>
/// Pure, the model driver's planner: compares the desired models with those served and returns the commands that close the
/// gap. A model is judged by its spec hash; a new version is fetched and loaded while the old one keeps serving.
/// </summary>
public static class ModelPlanner
{
    public static Plan<ModelCommandContext> Create(IReadOnlyList<ModelWorkloadSpec> desired, IReadOnlyList<ModelWorkloadSpec> served)
    {
        var commands = new List<IPlanCommand<ModelCommandContext>>();
        var wanted = desired.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in served.Where(s => !wanted.Contains(s.Name)))
        {
            commands.Add(new UnloadModelCommand(gone.Name, gone.Version));
        }

        foreach (var spec in desired.Where(d => !served.Any(s => s.Name == d.Name && s.SpecHash == d.SpecHash)))
        {
            commands.Add(new FetchModelCommand(spec));
            commands.Add(new LoadModelCommand(spec));
        }

        return new Plan<ModelCommandContext>(commands);
    }
}
