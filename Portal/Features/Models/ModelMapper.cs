using Portal.Data;
using Portal.Shared.Models;

namespace Portal.Features.Models;

internal static class ModelMapper
{
    public static ModelDto ToDto(RegisteredModel model, IReadOnlyList<ModelVersionDto>? versions, ModelVersionDto? latest, int count) =>
        new(model.Id, model.Name, model.Description, model.Tags, model.CreatedBy, model.CreatedAt, model.UpdatedAt, count, latest, versions);

    /// <summary>An optimized copy that is not smaller is never shipped, so it is not offered either.</summary>
    public static ModelVersionDto ToDto(ModelVersion v, string modelName, IReadOnlyList<ModelUsage> usage)
    {
        var optimized = ShippedModelFile.OptimizedHelps(v.SizeBytes, v.OptimizedSizeBytes);
        return new(v.ModelId, modelName, v.Number, v.Stage, v.ReleaseNotes, v.FileName, v.Sha256, v.SizeBytes,
            optimized ? v.OptimizedSha256 : null, optimized ? v.OptimizedSizeBytes : null, v.Signature, v.UploadedBy, v.UploadedAt, usage);
    }
}
