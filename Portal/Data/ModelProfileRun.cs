using Portal.Shared.Models;

namespace Portal.Data;

/// <summary>One device's benchmark of a model version, asked for from the version's page.</summary>
public sealed class ModelProfileRun
{
    public long Id { get; set; }

    public required string ModelVersionId { get; set; }

    public required string DeviceId { get; set; }

    public required string Sha256 { get; set; }

    public ProfileState State { get; set; }

    public ProfileResult? Result { get; set; }

    public string? Error { get; set; }

    public string RequestedBy { get; set; } = "";

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}
