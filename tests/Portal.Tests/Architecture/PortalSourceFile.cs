namespace Portal.Tests.Architecture;

/// <summary>One .cs or .razor file of the portal, with the layering name of the folder it belongs to.</summary>
/// <param name="Path">Relative to <c>Portal/</c>, with forward slashes.</param>
/// <param name="Folder">A feature's name (<c>Devices</c>), a path under Portal (<c>Data</c>, <c>Components/Shared</c>) or a root file (<c>Program.cs</c>).</param>
internal sealed record PortalSourceFile(string Path, string Folder, string Text);
