namespace Portal.Tests.Architecture;

/// <summary>A file naming a folder's namespace (a using, a fully or partly qualified name), perhaps through an <c>_Imports.razor</c>.</summary>
internal sealed record FolderReference(PortalSourceFile File, string Folder, string Text, string? Via)
{
    public override string ToString() =>
        $"Portal/{File.Path} ({File.Folder}) uses {Text}" + (Via is null ? "" : $" (through Portal/{Via})");
}
