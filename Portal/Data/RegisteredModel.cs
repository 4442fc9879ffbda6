namespace Portal.Data;

/// <summary>A model in the registry; its uploads are <see cref="ModelVersion"/>s numbered 1, 2, 3...</summary>
public sealed class RegisteredModel
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>Also the name devices serve it under (<c>/v2/models/{name}</c>): lower-case letters, digits and dashes.</summary>
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public List<string> Tags { get; set; } = [];

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<ModelVersion> Versions { get; set; } = [];
}
