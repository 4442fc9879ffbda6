namespace Portal.Features.FleetConfig;

/// <summary>A config file being edited on the Configuration page.</summary>
public sealed class FileDraft
{
    public string? Name { get; set; }

    public string? Text { get; set; }
}
