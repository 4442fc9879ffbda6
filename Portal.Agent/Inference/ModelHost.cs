using System.Collections.Concurrent;
using Portal.Shared.Models;

namespace Portal.Agent.Inference;

/// <summary>The models this device serves, by name; the inference endpoint looks them up here.</summary>
public sealed class ModelHost : IDisposable
{
    private readonly ConcurrentDictionary<string, ServedModel> models = new(StringComparer.Ordinal);

    public ServedModel? Find(string name) => models.GetValueOrDefault(name);

    public IReadOnlyCollection<ServedModel> All => models.Values.ToList();

    /// <summary>Serves <paramref name="model"/> under its name; whatever served that name before is unloaded.</summary>
    public void Put(ServedModel model)
    {
        ServedModel? previous = null;
        models.AddOrUpdate(model.Spec.Name, model, (_, old) =>
        {
            previous = old;
            return model;
        });
        previous?.Dispose();
    }

    public void Remove(string name)
    {
        if (models.TryRemove(name, out var model))
        {
            model.Dispose();
        }
    }

    public IReadOnlyList<InferenceMetrics> Metrics() => models.Values.Select(m => m.Snapshot()).OrderBy(m => m.Model, StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        foreach (var name in models.Keys)
        {
            Remove(name);
        }
    }
}
