using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Docker;

/// <summary>Secrets as files: written only to a tmpfs folder, one per container, bound read-only at /run/secrets.</summary>
public sealed class SecretFilesTests : IDisposable
{
    private readonly string tmpfsRoot = Path.Combine("/dev/shm", "secret-files-tests-" + Guid.NewGuid().ToString("N"));
    private readonly string diskRoot = Path.Combine(Path.GetTempPath(), "secret-files-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Write_OnATmpfs_WritesEachSecretReadOnly_AndRemoveForgetsThem()
    {
        Assert.SkipUnless(SecretFiles.FileSystemOf("/dev/shm") == "tmpfs", "This machine has no tmpfs at /dev/shm.");

        var folder = SecretFiles.Write(tmpfsRoot, "portal-web-dev1", new Dictionary<string, string> { ["API_KEY"] = "k3y", ["../escape"] = "no" });

        Assert.Equal(Path.Combine(tmpfsRoot, "portal-web-dev1"), folder);
        Assert.Equal("k3y", File.ReadAllText(Path.Combine(folder!, "API_KEY")));
        Assert.Equal(["API_KEY"], Directory.EnumerateFiles(folder!).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(tmpfsRoot, "escape")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Path.Combine(folder!, "API_KEY")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(tmpfsRoot));
        }

        SecretFiles.Remove(tmpfsRoot, "portal-web-dev1");
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Write_FolderNotOnATmpfs_FailsSayingWhy_AndWritesNothing()
    {
        Assert.SkipWhen(SecretFiles.FileSystemOf(diskRoot) is "tmpfs" or null, "The temp folder is itself a tmpfs here.");

        var refused = Assert.Throws<ContainerRuntimeException>(() => SecretFiles.Write(diskRoot, "portal-web-dev1", new Dictionary<string, string> { ["K"] = "v" }));

        Assert.Contains("not a tmpfs", refused.Message, StringComparison.Ordinal);
        Assert.False(refused.Retryable);
        Assert.False(Directory.Exists(diskRoot));
    }

    [Fact]
    public void Write_NoSecretFiles_NeedsNoFolder()
    {
        Assert.Null(SecretFiles.Write(null, "portal-web-dev1", null));
        Assert.Null(SecretFiles.Write(diskRoot, "portal-web-dev1", new Dictionary<string, string>()));
    }

    [Fact]
    public void ToCreateParameters_WithSecretsFolder_BindsItReadOnlyAtRunSecrets_AndPutsNoValueAnywhere()
    {
        var spec = new WorkloadSpec("web", "d1", "local/busybox:1", ["cat", "/run/secrets/API_KEY"], new Dictionary<string, string>(), [], [], "no", "host",
            new ResourceLimits(), "h", SecretFiles: new Dictionary<string, string> { ["API_KEY"] = "k3y" });

        var create = DockerSpecMapper.ToCreateParameters(spec, 1, "dev1", secretsDirectory: "/dev/shm/x/portal-web-dev1");

        Assert.Equal(["/dev/shm/x/portal-web-dev1:/run/secrets:ro"], create.HostConfig!.Binds);
        Assert.DoesNotContain(create.Env, e => e.Contains("k3y", StringComparison.Ordinal));
        Assert.DoesNotContain(create.Labels.Values, v => v.Contains("k3y", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        foreach (var dir in new[] { tmpfsRoot, diskRoot }.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
