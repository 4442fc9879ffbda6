using Portal.Agent.Docker;

namespace Portal.Agent.Tests.Docker;

/// <summary>A live-config container's folder kept up to date in place: changed files replaced whole, stale ones gone, the folder itself kept.</summary>
public sealed class ConfigFilesTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "portal-config-files-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void Sync_ReplacesChangedFiles_RemovesStaleOnes_KeepsTheMountedFolder()
    {
        var folder = ConfigFiles.Write(root, "c1", new Dictionary<string, string> { ["a.conf"] = "a=1", ["b.conf"] = "b=1" })!;
        // Proof the folder is the same one (a bind mount holds on to it): something in it that Sync never touches survives.
        Directory.CreateDirectory(Path.Combine(folder, "kept"));

        Assert.False(ConfigFiles.Sync(root, "c1", new Dictionary<string, string> { ["a.conf"] = "a=1", ["b.conf"] = "b=1" }));
        Assert.True(ConfigFiles.Sync(root, "c1", new Dictionary<string, string> { ["a.conf"] = "a=2", ["c.conf"] = "c=1" }));

        Assert.Equal("a=2", File.ReadAllText(Path.Combine(folder, "a.conf")));
        Assert.Equal("c=1", File.ReadAllText(Path.Combine(folder, "c.conf")));
        Assert.False(File.Exists(Path.Combine(folder, "b.conf")));
        Assert.Equal(["a.conf", "c.conf", "kept"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Sync_ContainerNotCreatedYet_OrAPathOutsideTheFolder_WritesNothing()
    {
        Assert.False(ConfigFiles.Sync(root, "missing", new Dictionary<string, string> { ["a.conf"] = "a" }));
        Assert.False(Directory.Exists(Path.Combine(root, "missing")));

        ConfigFiles.Write(root, "c2", new Dictionary<string, string> { ["a.conf"] = "a" });
        ConfigFiles.Sync(root, "c2", new Dictionary<string, string> { ["a.conf"] = "a", ["../escape.conf"] = "x" });
        Assert.False(File.Exists(Path.Combine(root, "escape.conf")));
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
