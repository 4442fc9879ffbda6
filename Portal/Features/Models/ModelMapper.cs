using Portal.Data;
using Portal.Shared.Models;

namespace Portal.Features.Models;

internal static class ModelMapper
{
    public static ModelDto ToDto(RegisteredModel model, IReadOnlyList<ModelVersionDto>? versions, ModelVersionDto? latest, int count) =>
        new(model.Id, model.Name, model.Description, model.Tags, model.CreatedBy, model.CreatedAt, model.UpdatedAt, count, latest, versions);

    public static ModelVersionDto ToDto(ModelVersion v, string modelName, IReadOnlyList<ModelUsage> usage) =>
        new(v.ModelId, modelName, v.Number, v.Stage, v.ReleaseNotes, v.FileName, v.Sha256, v.SizeBytes, v.OptimizedSha256, v.OptimizedSizeBytes,
            v.Signature, v.UploadedBy, v.UploadedAt, usage);
}
