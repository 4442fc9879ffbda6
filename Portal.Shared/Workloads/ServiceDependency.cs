namespace Portal.Shared.Workloads;

/// <summary>A service this one starts after, and whether it must be started or healthy first.</summary>
public sealed record ServiceDependency(string Service, DependencyCondition Condition = DependencyCondition.ServiceStarted);
