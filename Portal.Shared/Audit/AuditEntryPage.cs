namespace Portal.Shared.Audit;

/// <summary>One page of audit entries, newest first; <paramref name="Page"/> counts from 1, <paramref name="Total"/> is every match.</summary>
public sealed record AuditEntryPage(IReadOnlyList<AuditEntryDto> Items, int Total, int Page, int PageSize);
