namespace Portal.Shared.Workloads;

/// <summary>
/// One workload a device should run, whatever its kind: the kind, the name it runs under, the deployment it comes from,
/// the hash that changes whenever the device must do something new, and that kind's spec (exactly one is set). A new
/// kind adds its spec here and a driver on the agent; the desired state, its revision and its push stay as they are.
/// </summary>
public sealed record DesiredWorkload(
    WorkloadKind Kind,
    string Name,
    string DeploymentId,
    string SpecHash,
    WorkloadSpec? Container = null,
    ModelWorkloadSpec? Model = null,
    StackSpec? Stack = null,
    DataFlowWorkloadSpec? Flow = null,
    AgentReleaseWorkloadSpec? Release = null)
{
    public static DesiredWorkload Of(WorkloadSpec container) =>
        new(WorkloadKind.Container, container.Name, container.DeploymentId, container.SpecHash, Container: container);

    public static DesiredWorkload Of(ModelWorkloadSpec model) =>
        new(WorkloadKind.Model, model.Name, model.DeploymentId, model.SpecHash, Model: model);

    public static DesiredWorkload Of(StackSpec stack) =>
        new(WorkloadKind.Stack, stack.Name, stack.DeploymentId, stack.SpecHash, Stack: stack);

    public static DesiredWorkload Of(DataFlowWorkloadSpec flow) =>
        new(WorkloadKind.DataFlow, flow.Name, flow.DeploymentId, flow.SpecHash, Flow: flow);

    public static DesiredWorkload Of(AgentReleaseWorkloadSpec release) =>
        new(WorkloadKind.AgentRelease, release.Name, release.DeploymentId, release.SpecHash, Release: release);

    /// <summary>The kind's spec is there and says the same name and hash (a damaged file or a hostile sender may not).</summary>
    public bool IsWhole() => Kind switch
    {
        WorkloadKind.Container => Container is { } c && c.Name == Name && c.SpecHash == SpecHash,
        WorkloadKind.Model => Model is { } m && m.Name == Name && m.SpecHash == SpecHash,
        WorkloadKind.Stack => Stack is { } s && s.Name == Name && s.SpecHash == SpecHash && s.IsWhole(),
        WorkloadKind.DataFlow => Flow is { Flow: not null } f && f.Name == Name && f.SpecHash == SpecHash,
        WorkloadKind.AgentRelease => Release is { Files: not null } r && r.Name == Name && r.SpecHash == SpecHash,
        // A kind this agent does not know: no driver acts on it, and it does not make the rest unreadable.
        _ => true,
    };
}
