using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.DataFlows;
using Portal.Shared.Deployments;

namespace Portal.Features.DataFlows;

/// <summary>Data flows and their versions: created and extended by operators, each version checked, never changed after.</summary>
public sealed class DataFlowService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    public const int MaxVersions = 1000;

    public async Task<IReadOnlyList<DataFlowDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var flows = await db.DataFlows.AsNoTracking().Include(f => f.Versions).ToListAsync(ct);
        return flows.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Select(ToDto).ToList();
    }

    public async Task<DataFlowDto?> GetAsync(string idOrName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await FindAsync(db, idOrName, ct) is { } flow ? ToDto(flow) : null;
    }

    public async Task<OperationResult<DataFlowDto>> CreateAsync(CreateDataFlowRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        static OperationResult<DataFlowDto> Fail(OperationOutcome outcome, string problem) => OperationResult<DataFlowDto>.Fail(outcome, problem);

        if ((request?.Description?.Length ?? 0) > 2000 || (request?.Notes?.Length ?? 0) > 2000)
        {
            return Fail(OperationOutcome.Invalid, "The description and notes can be at most 2000 characters each.");
        }

        if ((PlainText.Problem(request?.Description, "description", multiline: true) ?? PlainText.Problem(request?.Notes, "notes", multiline: true)) is { } text)
        {
            return Fail(OperationOutcome.Invalid, text);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var check = await DataFlowChecks.CheckAsync(db, request?.Spec, ct);
        if (check.Problems.Count > 0)
        {
            return Fail(OperationOutcome.Invalid, Describe(check.Problems));
        }

        var spec = DataFlowChecks.Complete(request!.Spec!);
        if (await db.DataFlows.AnyAsync(f => f.Name == spec.Name, ct))
        {
            return Fail(OperationOutcome.Conflict, $"A data flow named '{spec.Name}' already exists: add a version to it, or give this one another name.");
        }

        var now = clock.GetUtcNow();
        var flow = new DataFlowDefinition { Name = spec.Name, Description = request.Description?.Trim() ?? "", CreatedBy = actor.Name, CreatedAt = now };
        flow.Versions.Add(new DataFlowVersion
        {
            FlowId = flow.Id, Number = 1, Spec = spec, Notes = request.Notes?.Trim() ?? "", ModelVersion = check.ModelVersion, CreatedBy = actor.Name, CreatedAt = now,
        });
        db.DataFlows.Add(flow);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same name created at the same moment by someone else.
            return Fail(OperationOutcome.Conflict, $"A data flow named '{spec.Name}' already exists: add a version to it, or give this one another name.");
        }

        await audit.RecordAsync(actor, AuditActions.DataFlowCreated, AuditTargets.DataFlow(flow.Id), flow.Name, detail: Summary(spec), ct: ct);
        return OperationResult<DataFlowDto>.Ok(ToDto(flow));
    }

    public async Task<OperationResult<DataFlowVersionDto>> AddVersionAsync(string idOrName, AddDataFlowVersionRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        static OperationResult<DataFlowVersionDto> Fail(OperationOutcome outcome, string problem) => OperationResult<DataFlowVersionDto>.Fail(outcome, problem);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await FindAsync(db, idOrName, ct) is not { } flow)
        {
            return Fail(OperationOutcome.NotFound, $"There is no data flow '{idOrName}'.");
        }

        if ((request?.Notes?.Length ?? 0) > 2000 || PlainText.Problem(request?.Notes, "notes", multiline: true) is not null)
        {
            return Fail(OperationOutcome.Invalid, "Notes are plain text of at most 2000 characters.");
        }

        var check = await DataFlowChecks.CheckAsync(db, request?.Spec, ct);
        if (check.Problems.Count > 0)
        {
            return Fail(OperationOutcome.Invalid, Describe(check.Problems));
        }

        var spec = DataFlowChecks.Complete(request!.Spec!);
        if (spec.Name != flow.Name)
        {
            return Fail(OperationOutcome.Invalid, $"A version keeps its flow's name '{flow.Name}' (the spec says '{spec.Name}'); create a new flow for a new name.");
        }

        var number = flow.Versions.Count == 0 ? 1 : flow.Versions.Max(v => v.Number) + 1;
        if (number > MaxVersions)
        {
            return Fail(OperationOutcome.Conflict, $"{flow.Name} has {MaxVersions} versions, the most a flow may have; create a new flow.");
        }

        var version = new DataFlowVersion
        {
            FlowId = flow.Id, Number = number, Spec = spec, Notes = request.Notes?.Trim() ?? "", ModelVersion = check.ModelVersion,
            CreatedBy = actor.Name, CreatedAt = clock.GetUtcNow(),
        };
        db.DataFlowVersions.Add(version);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Fail(OperationOutcome.Conflict, $"Someone added version {number} of {flow.Name} at the same moment; send yours again to make it version {number + 1}.");
        }

        await audit.RecordAsync(actor, AuditActions.DataFlowVersionAdded, AuditTargets.DataFlow(flow.Id), $"{flow.Name} v{number}", detail: Summary(spec), ct: ct);
        return OperationResult<DataFlowVersionDto>.Ok(ToDto(version));
    }

    /// <summary>Deletes a flow no deployment uses any more (rolled back ones aside: an aborted one still runs where it was released).</summary>
    public async Task<OperationResult<bool>> DeleteAsync(string idOrName, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await FindAsync(db, idOrName, ct) is not { } flow)
        {
            return OperationResult<bool>.Fail(OperationOutcome.NotFound, $"There is no data flow '{idOrName}'.");
        }

        var users = await db.Deployments.AsNoTracking()
            .Where(d => d.Flow != null && d.SourceId == flow.Id && d.State != DeploymentState.RolledBack)
            .Select(d => d.Name).ToListAsync(ct);
        if (users.Count > 0)
        {
            return OperationResult<bool>.Fail(OperationOutcome.Conflict,
                $"{flow.Name} is deployed by {string.Join(", ", users.Take(5))}{(users.Count > 5 ? $" and {users.Count - 5} more" : "")}: remove those deployments first.");
        }

        db.DataFlows.Remove(flow);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, AuditActions.DataFlowDeleted, AuditTargets.DataFlow(flow.Id), flow.Name, ct: ct);
        return OperationResult<bool>.Ok(true);
    }

    internal static Task<DataFlowDefinition?> FindAsync(PortalDbContext db, string idOrName, CancellationToken ct) =>
        db.DataFlows.Include(f => f.Versions).FirstOrDefaultAsync(f => f.Id == idOrName || f.Name == idOrName, ct);

    /// <summary>Up to five problems, each on its own line, and how many more.</summary>
    internal static string Describe(IReadOnlyList<string> problems) =>
        string.Join("\n", problems.Take(5)) + (problems.Count > 5 ? $"\n…and {problems.Count - 5} more." : "");

    /// <summary>The flow in one line: "2 sources, model solar-irradiance, 3 sinks".</summary>
    internal static string Summary(DataFlowSpec spec) =>
        $"{spec.Sources.Count} source{(spec.Sources.Count == 1 ? "" : "s")}"
        + (spec.Transforms is { Count: > 0 } t ? $", {t.Count} transform{(t.Count == 1 ? "" : "s")}" : "")
        + (spec.Model is { } m ? $", model {m.Model}" : "")
        + $", {spec.Sinks?.Count ?? 0} sink{(spec.Sinks?.Count == 1 ? "" : "s")}";

    private static DataFlowDto ToDto(DataFlowDefinition f)
    {
        var versions = f.Versions.OrderByDescending(v => v.Number).Select(ToDto).ToList();
        return new DataFlowDto(f.Id, f.Name, f.Description, versions.Count == 0 ? 0 : versions[0].Version, f.CreatedAt, f.CreatedBy, versions);
    }

    private static DataFlowVersionDto ToDto(DataFlowVersion v) => new(v.Number, v.Spec, v.Notes, v.ModelVersion, v.CreatedAt, v.CreatedBy);
}
