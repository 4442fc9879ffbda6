namespace Portal.Tests.Architecture;

/// <summary>
/// Dependencies point one way: a folder of the portal uses only the folders below it in the picture in
/// <c>Portal/README.md</c>, and every folder is placed there. No allow-list: a reference upwards is fixed by moving the
/// type to the folder that owns it, or by an interface or notifier message defined low and served high.
/// </summary>
public sealed class LayeringTests
{
    private static readonly string Root = RepositoryRoot();

    [Fact]
    public void EveryFolder_UsesOnlyTheLayersBelowIt()
    {
        var layers = PortalLayers.Read(Root);
        var sources = PortalSources.Read(Root);
        var upwards = sources.Files
            .Where(f => layers.Contains(f.Folder))
            .SelectMany(sources.ReferencesOf)
            .Where(r => layers.Contains(r.Folder) && !layers.MayUse(r.File.Folder, r.Folder))
            .Select(r => $"{r}: {layers.Describe(r.File.Folder, r.Folder)}")
            .ToList();

        Assert.True(upwards.Count == 0, $"{upwards.Count} references point up or sideways (see Portal/README.md):\n" + string.Join("\n", upwards));
    }

    [Fact]
    public void EveryFolder_IsPlacedInThePicture()
    {
        var layers = PortalLayers.Read(Root);
        var sources = PortalSources.Read(Root);

        var unplaced = sources.Folders.Where(f => !layers.Contains(f)).Order(StringComparer.Ordinal).ToList();
        var stale = layers.Names.Where(n => !sources.Folders.Contains(n)).Order(StringComparer.Ordinal).ToList();

        Assert.True(unplaced.Count == 0, "Place these folders in Portal/README.md's layering: " + string.Join(", ", unplaced));
        Assert.True(stale.Count == 0, "Portal/README.md's layering names folders that hold no source: " + string.Join(", ", stale));
    }

    [Fact]
    public void ThePicture_HasTheFoundationsAtTheBottomAndTheRootAtTheTop()
    {
        var layers = PortalLayers.Read(Root);

        Assert.Equal(["Program.cs"], layers.Layers[0]);
        Assert.True(layers.MayUse("Hosting", "Devices") && layers.MayUse("Devices", "Data") && layers.MayUse("Data", "Common"));
        Assert.False(layers.MayUse("Devices", "Groups"));
    }

    [Fact]
    public void TheScan_SeesQualifiedNamesAndImports()
    {
        var sources = PortalSources.Read(Root);

        // Guards the scanner itself: if it stopped seeing references, the layering test would pass vacuously.
        var hosting = sources.Files.Where(f => f.Folder == "Hosting").SelectMany(sources.ReferencesOf).Select(r => r.Folder).ToHashSet();
        Assert.Contains("Devices", hosting);
        Assert.Contains("Data", hosting);
        var routes = sources.Files.Single(f => f.Path == "Components/Routes.razor");
        Assert.Contains(sources.ReferencesOf(routes), r => r.Folder == "Components/Layout");
        var page = sources.Files.Single(f => f.Path == "Features/Devices/DevicesPage.razor");
        Assert.Contains(sources.ReferencesOf(page), r => r.Folder == "Components/Shared" && r.Via == "Features/_Imports.razor");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}
