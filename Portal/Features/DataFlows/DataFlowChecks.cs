using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Features.FleetConfig;
using Portal.Shared.DataFlows;
using Portal.Shared.Models;

namespace Portal.Features.DataFlows;

/// <summary>
/// What is wrong with a flow spec before the portal keeps it: the validator's problems (with the registered model's
/// signature when there is a model step), plus the portal's own rules: a broker password only as a
/// <c>${secret:NAME}</c> reference, never in plain text.
/// </summary>
internal static class DataFlowChecks
{
    public sealed record Outcome(IReadOnlyList<string> Problems, int? ModelVersion);

    public static async Task<Outcome> CheckAsync(PortalDbContext db, DataFlowSpec? spec, CancellationToken ct)
    {
        if (spec is null)
        {
            return new(["Send the flow as 'spec': its name, connections, sources, and optional transforms, model step and sinks."], null);
        }

        spec = Complete(spec);
        var problems = new List<string>();
        foreach (var (c, i) in spec.Connections.Select((c, i) => (c, i)))
        {
            if (c?.Mqtt?.Password is { Length: > 0 } password && !IsSecretReference(password))
            {
                problems.Add($"connections[{i}] ({c.Name}): give the broker password as ${{secret:NAME}} (a fleet secret, encrypted at rest), never the password itself.");
            }
        }

        ModelSignature? signature = null;
        int? modelVersion = null;
        if (spec.Model?.Model is { Length: > 0 } modelName)
        {
            if (await CheckedVersionsAsync(db, modelName, ct) is [var chosen])
            {
                (signature, modelVersion) = (chosen.Signature, chosen.Version);
            }
            else
            {
                problems.Add($"model: there is no registered model '{modelName}' with a version that is not archived; register it under Models first.");
            }
        }

        try
        {
            problems.AddRange(DataFlowValidator.Validate(spec, signature));
        }
        catch (NullReferenceException)
        {
            // A hostile or hand-written body with a list or step left null somewhere the validator expects one.
            problems.Add("The flow is incomplete: a step is missing a required field (each source, transform, sink and model input needs all of its fields).");
        }

        return new(problems, modelVersion);
    }

    /// <summary>
    /// The version of each registered model (or of the one named) a flow's model step is checked against: the newest in
    /// Production, the one devices most likely serve, else the newest that is not archived.
    /// </summary>
    public static async Task<IReadOnlyList<(string Model, int Version, ModelSignature Signature)>> CheckedVersionsAsync(
        PortalDbContext db, string? model, CancellationToken ct)
    {
        var query = db.ModelVersions.AsNoTracking().Where(v => v.Stage != ModelStage.Archived)
            .Join(db.Models, v => v.ModelId, m => m.Id, (v, m) => new { m.Name, v.Number, v.Stage, v.Signature });
        if (model is not null)
        {
            query = query.Where(v => v.Name == model);
        }

        var versions = await query.ToListAsync(ct);
        return [.. versions.GroupBy(v => v.Name).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.Where(v => v.Stage == ModelStage.Production).MaxBy(v => v.Number) ?? g.MaxBy(v => v.Number)!)
            .Select(v => (v.Name, v.Number, v.Signature))];
    }

    /// <summary>The spec with absent lists as empty ones (a JSON body may leave them out).</summary>
    public static DataFlowSpec Complete(DataFlowSpec spec) =>
        spec with { Connections = spec.Connections ?? [], Sources = spec.Sources ?? [] };

    private static bool IsSecretReference(string text) =>
        ConfigReference.Whole(text) is { IsSecret: true };
}
