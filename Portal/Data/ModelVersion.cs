using Portal.Shared.Models;

namespace Portal.Data;

/// <summary>
/// One uploaded model file, stored content-addressed by <see cref="Sha256"/>, with the portable optimized variant
/// devices receive unless a deployment asks for the original.
/// </summary>
public sealed class ModelVersion
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    public required string ModelId { get; set; }

    public int Number { get; set; }

    public ModelStage Stage { get; set; }

    public string ReleaseNotes { get; set; } = "";

    public string FileName { get; set; } = "";

    public required string Sha256 { get; set; }

    public long SizeBytes { get; set; }

    public string? OptimizedSha256 { get; set; }

    public long? OptimizedSizeBytes { get; set; }

    public required ModelSignature Signature { get; set; }

    public string UploadedBy { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }
}
