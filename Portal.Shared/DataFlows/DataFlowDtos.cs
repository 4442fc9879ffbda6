namespace Portal.Shared.DataFlows;

/// <summary>A data flow as the API shows it: its versions newest first (each an immutable spec).</summary>
public sealed record DataFlowDto(
    string Id,
    string Name,
    string Description,
    int LatestVersion,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    IReadOnlyList<DataFlowVersionDto> Versions);

/// <summary>One version of a flow. <see cref="ModelVersion"/> is the model version its model step was checked against, if any.</summary>
public sealed record DataFlowVersionDto(int Version, DataFlowSpec Spec, string Notes, int? ModelVersion, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>
/// <c>POST /api/v1/dataflows</c>: a new flow, named by its spec's name, with the spec as version 1. The spec is checked
/// (names, wiring, types, units) and, with a model step, against the registered model's signature.
/// </summary>
public sealed record CreateDataFlowRequest(DataFlowSpec? Spec, string? Description = null, string? Notes = null);

/// <summary><c>POST /api/v1/dataflows/{id}/versions</c>: the next version of a flow (the spec keeps the flow's name).</summary>
public sealed record AddDataFlowVersionRequest(DataFlowSpec? Spec, string? Notes = null);
