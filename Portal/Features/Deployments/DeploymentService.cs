using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>Creating and reading deployments. Stepping them is the <see cref="RolloutService"/>'s job.</summary>
public sealed partial class DeploymentService(
    IDbContextFactory<PortalDbContext> dbFactory,
    RolloutSignal signal,
    Notifier<DeploymentChanged> changes,
    AuditLog audit,
    Portal.Security.SecretParameters secrets,
    WorkloadSources sources,
    DeploymentGate gate,
    Microsoft.Extensions.Options.IOptions<Portal.Configuration.PortalOptions> options,
    TimeProvider clock)
{
    /// <summary>
    /// States in which an identical request is a duplicate. Not Failed (deploying it again is a retry), Superseded (again
    /// is a return to it) or RolledBack: a new deployment then supersedes the old one.
    /// </summary>
    private static readonly DeploymentState[] Active =
        [DeploymentState.InProgress, DeploymentState.Paused, DeploymentState.Completed, DeploymentState.CompletedWithFailures, DeploymentState.Aborted, DeploymentState.AwaitingApproval];

    public async Task<IReadOnlyList<DeploymentDto>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deployments = await db.Deployments.AsNoTracking().Include(d => d.Targets).OrderByDescending(d => d.CreatedAt).ToListAsync(cancellationToken);
        return deployments.Select(d => DeploymentMapper.ToDto(d, null, null)).ToList();
    }

    public async Task<DeploymentDto?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.AsNoTracking().Include(d => d.Targets).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deployment is null)
        {
            return null;
        }

        var ids = deployment.Targets.Select(t => t.DeviceId).ToList();
        var names = await db.Devices.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var events = await db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id).OrderByDescending(e => e.Id).Take(200).ToListAsync(cancellationToken);
        return DeploymentMapper.ToDto(deployment, names, events, await DeviceRunsReader.ReadAsync(db, deployment, ids, cancellationToken));
    }

    /// <summary>
    /// Validates and stores a deployment; the rollout service releases it to devices. Deploying exactly what an active
    /// deployment already deploys creates nothing and returns that one with Created false (the API answers 409). Target
    /// devices that cannot run it make it a conflict naming them, unless the request says to skip them.
    /// </summary>
    public async Task<OperationResult<(DeploymentDto Deployment, bool Created)>> CreateAsync(CreateDeploymentRequest? request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var prepared = await PrepareAsync(db, request, cancellationToken);
        if (!prepared.Succeeded)
        {
            return OperationResult<(DeploymentDto, bool)>.Fail(prepared.Outcome, prepared.Error!);
        }

        var (deployment, created, audited) = prepared.Value!;
        deployment.CreatedBy = actor.Name;
        var check = await gate.CheckAsync(deployment, cancellationToken);
        if (!request!.SkipIneligible && check.Ineligible.Any())
        {
            return OperationResult<(DeploymentDto, bool)>.Fail(OperationOutcome.Conflict, DeploymentChecks.Conflict(check));
        }

        if (Approvals.Needed(options.Value.Approvals, deployment.Kind, check.Targeted) is { } why)
        {
            (deployment.State, deployment.StateReason) = (DeploymentState.AwaitingApproval, why);
        }

        return await InsertUnlessActiveAsync(db, deployment, created, audited, actor, cancellationToken);
    }

    /// <summary>
    /// The deployment a create request asks for, validated but not stored: the kind's <see cref="IWorkloadSource"/>
    /// resolves what to deploy; strategy, targets and name are checked here, the same for every kind.
    /// </summary>
    private async Task<OperationResult<Prepared>> PrepareAsync(PortalDbContext db, CreateDeploymentRequest? request, CancellationToken cancellationToken)
    {
        static OperationResult<Prepared> Invalid(string problem) => OperationResult<Prepared>.Fail(OperationOutcome.Invalid, problem);

        if (request is not null && new object?[] { request.AppId, request.ModelId, request.DataFlowId, request.AgentReleaseVersion }.Count(id => id is not null) > 1)
        {
            return Invalid("Name one thing to deploy: appId, modelId, dataFlowId or agentReleaseVersion, not several.");
        }

        if (request is null || sources.For(request) is not { } source)
        {
            return Invalid("Say what to deploy: appId and version for an app, modelId and modelVersion for a model, dataFlowId and dataFlowVersion for a data flow, or agentReleaseVersion for an agent update.");
        }

        var strategy = request.Strategy ?? new RolloutStrategy();
        if (strategy.Problem() is { } strategyProblem)
        {
            return Invalid(strategyProblem);
        }

        var chosen = await source.ChooseAsync(db, request, cancellationToken);
        if (!chosen.Succeeded)
        {
            return OperationResult<Prepared>.Fail(chosen.Outcome, chosen.Error!);
        }

        var choice = chosen.Value!;
        var (groupIds, deviceIds, targetProblem) = await TargetsAsync(db, request, cancellationToken);
        if (targetProblem is not null)
        {
            return Invalid(targetProblem);
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? choice.DefaultName : request.Name.Trim();
        if (name.Length > 200)
        {
            return Invalid("The deployment's name can be at most 200 characters.");
        }

        if (PlainText.Problem(name, "deployment name") is { } text)
        {
            return Invalid(text);
        }

        var deployment = new Deployment
        {
            Name = name, SourceId = choice.SourceId, SourceName = choice.SourceName, Version = choice.Version, Spec = choice.App, Model = choice.Model, Flow = choice.Flow, AgentRelease = choice.AgentRelease,
            Parameters = new(choice.Parameters ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            GroupIds = groupIds, DeviceIds = deviceIds, Strategy = strategy, State = DeploymentState.InProgress,
        };
        return OperationResult<Prepared>.Ok(new Prepared(deployment, $"{choice.Summary}, {Describe(strategy)}", $"{choice.Description}, {Describe(strategy)}"));
    }

    /// <summary>
    /// Stores <paramref name="deployment"/> unless an identical one is active; the check and the insert hold the
    /// workload's <see cref="DeploymentLock"/>, so concurrent identical requests (on any instance) create exactly one.
    /// </summary>
    private async Task<OperationResult<(DeploymentDto, bool)>> InsertUnlessActiveAsync(
        PortalDbContext db, Deployment deployment, string created, string audited, AuditActor actor, CancellationToken ct)
    {
        await using (var transaction = await DeploymentLock.AcquireAsync(db, Supersession.WorkloadOf(deployment), ct))
        {
            var candidates = await db.Deployments.AsNoTracking().Include(d => d.Targets)
                .Where(d => d.SourceId == deployment.SourceId && d.Version == deployment.Version && Active.Contains(d.State)).ToListAsync(ct);
            if (candidates.FirstOrDefault(d => Identical(d, deployment)) is { } same)
            {
                return OperationResult<(DeploymentDto, bool)>.Ok((DeploymentMapper.ToDto(same, null, null), false));
            }

            var now = clock.GetUtcNow();
            (deployment.CreatedAt, deployment.UpdatedAt) = (now, now);
            db.Deployments.Add(deployment);
            db.DeploymentEvents.Add(new DeploymentEvent { DeploymentId = deployment.Id, At = now, Message = $"Created by {actor.Name}: {created}" });
            DeploymentFleetEvents.Created(db, deployment, actor.Name, now);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        await RecordCreatedAsync(actor, deployment, audited, ct);
        signal.Wake();
        changes.Publish(new DeploymentChanged(deployment.Id));
        return OperationResult<(DeploymentDto, bool)>.Ok((DeploymentMapper.ToDto(deployment, null, null), true));
    }

    /// <summary>Same workload, targets, strategy and parameter values; secret values are compared in plain (each
    /// encryption of the same value differs).</summary>
    private bool Identical(Deployment a, Deployment b) =>
        a.Model == b.Model && a.GroupIds.SequenceEqual(b.GroupIds) && a.DeviceIds.SequenceEqual(b.DeviceIds) && a.Strategy == b.Strategy
        && secrets.SameValues(a.Parameters, b.Parameters.ToDictionary(kv => kv.Key, kv => secrets.Reveal(kv.Value), StringComparer.Ordinal));

    private Task RecordCreatedAsync(AuditActor actor, Deployment deployment, string what, CancellationToken ct) =>
        audit.RecordAsync(actor, AuditActions.DeploymentCreated, AuditTargets.Deployment(deployment.Id), deployment.Name,
            detail: $"{what}; targets {deployment.GroupIds.Count} group(s), {deployment.DeviceIds.Count} device(s)", ct: ct);

    internal static async Task<(List<string> Groups, List<string> Devices, string? Problem)> TargetsAsync(PortalDbContext db, CreateDeploymentRequest request, CancellationToken ct)
    {
        var groupIds = (request.GroupIds ?? []).Where(g => !string.IsNullOrWhiteSpace(g)).Distinct().Order(StringComparer.Ordinal).ToList();
        var deviceIds = (request.DeviceIds ?? []).Where(d => !string.IsNullOrWhiteSpace(d)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (groupIds.Count + deviceIds.Count == 0)
        {
            return (groupIds, deviceIds, "Choose at least one group or device to deploy to.");
        }

        var knownGroups = await db.Groups.Where(g => groupIds.Contains(g.Id)).Select(g => g.Id).ToListAsync(ct);
        if (groupIds.Except(knownGroups).FirstOrDefault() is { } unknownGroup)
        {
            return (groupIds, deviceIds, $"There is no group with the id {unknownGroup}.");
        }

        var knownDevices = await db.Devices.Where(d => deviceIds.Contains(d.Id) && d.RevokedAt == null).Select(d => d.Id).ToListAsync(ct);
        return deviceIds.Except(knownDevices).FirstOrDefault() is { } unknownDevice
            ? (groupIds, deviceIds, $"There is no active device with the id {unknownDevice}.")
            : (groupIds, deviceIds, null);
    }

    private static string Describe(RolloutStrategy s) => (s.Kind == RolloutKind.AllAtOnce
        ? "all at once"
        : $"rolling in batches of {s.BatchSize}, {(s.OnFailure == FailureAction.Pause ? "pause" : "roll back")} above {s.FailureThresholdPercent:0.#}% failed (after {s.MinDevicesTried} tried)")
        + (s.RespectMaintenanceWindows ? ", only inside maintenance windows" : "");
}
