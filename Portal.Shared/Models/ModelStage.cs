namespace Portal.Shared.Models;

/// <summary>Where a model version stands in its life: uploaded, being tried, serving, retired.</summary>
public enum ModelStage
{
    Draft,
    Staging,
    Production,
    Archived,
}
