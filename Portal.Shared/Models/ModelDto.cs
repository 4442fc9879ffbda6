namespace Portal.Shared.Models;

/// <summary>A registered model; <see cref="Versions"/> only when one model is asked for, newest first.</summary>
public sealed record ModelDto(
    string Id,
    string Name,
    string Description,
    IReadOnlyList<string> Tags,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int VersionCount,
    ModelVersionDto? Latest,
    IReadOnlyList<ModelVersionDto>? Versions = null);
