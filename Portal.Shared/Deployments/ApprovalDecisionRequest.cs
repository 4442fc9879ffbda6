namespace Portal.Shared.Deployments;

/// <summary>A second admin's approval or rejection of a deployment awaiting approval, with an optional note (audited).</summary>
public sealed record ApprovalDecisionRequest(string? Note = null);
