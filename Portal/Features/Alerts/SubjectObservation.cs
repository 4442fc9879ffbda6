namespace Portal.Features.Alerts;

/// <summary>
/// A source's observation of one subject for one rule. <see cref="Observation"/> null: nothing can be said now (an
/// offline device's workloads), so an open alert on it is left as it is.
/// </summary>
public sealed record SubjectObservation(string SubjectKind, string SubjectId, string SubjectName, string? DeviceId, Observation? Observation, string Summary);
