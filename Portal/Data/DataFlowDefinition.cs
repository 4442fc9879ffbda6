using Portal.Shared.DataFlows;

namespace Portal.Data;

/// <summary>A data flow: a name and its immutable, numbered versions (<see cref="DataFlowVersion"/>).</summary>
public sealed class DataFlowDefinition
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public List<DataFlowVersion> Versions { get; set; } = [];
}

/// <summary>One version of a flow, never changed once written; a deployment copies its spec.</summary>
public sealed class DataFlowVersion
{
    public required string FlowId { get; set; }

    public int Number { get; set; }

    public required DataFlowSpec Spec { get; set; }

    public string Notes { get; set; } = "";

    /// <summary>The model version the model step was checked against when this version was written.</summary>
    public int? ModelVersion { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What a data flow deployment deploys: a flow version's spec as it was when deployed.</summary>
public sealed record DataFlowDeploymentSpec(string FlowId, string FlowName, int Version, DataFlowSpec Spec);
