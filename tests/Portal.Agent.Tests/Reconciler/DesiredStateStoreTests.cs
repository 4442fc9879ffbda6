using Portal.Agent.Reconciler;
using Portal.Agent.Storage;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Reconciler;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DesiredStateStoreTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "portal-desired-tests", Guid.NewGuid().ToString("N"));

    private string FilePath => Path.Combine(directory, DesiredStateStore.FileName);

    private static DesiredState State(long revision, params string[] workloads) => DesiredState.Of(revision,
        workloads.Select(w => new WorkloadSpec(w, "dep1", "local/busybox:1", ["sleep", "3600"], new Dictionary<string, string>(), [], [],
            "unless-stopped", "host", new ResourceLimits(), "hash-" + w)).ToList(), []);

    [Fact]
    public void TryUpdate_NewerRevision_IsStoredOwnerOnlyAndSurvivesARestart()
    {
        Assert.True(new DesiredStateStore(directory).TryUpdate(State(3, "web")));

        var reopened = new DesiredStateStore(directory);

        Assert.Equal(3, reopened.Current!.Revision);
        Assert.Equal("web", Assert.Single(reopened.Current.Containers()).Name);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.False(reopened.TryUpdate(State(2)));
    }

    [Fact]
    public void Current_FileTruncatedAsByAPowerCut_IsTheLastGoodCopy()
    {
        new DesiredStateStore(directory).TryUpdate(State(5, "web", "db"));
        var bytes = File.ReadAllBytes(FilePath);
        File.WriteAllBytes(FilePath, bytes[..(bytes.Length / 2)]);

        var current = new DesiredStateStore(directory).Current;

        Assert.Equal(5, current!.Revision);
        Assert.Equal(["web", "db"], current.Containers().Select(w => w.Name));
    }

    [Fact]
    public void Current_FileAndCopyDamaged_IsUnknownNotAnEmptyState()
    {
        new DesiredStateStore(directory).TryUpdate(State(5, "web"));
        File.WriteAllText(FilePath, "{\"revision\":5,\"workl");
        File.WriteAllText(FilePath + DurableFile.BackupSuffix, "");

        // Revision 0 with no workloads would make the reconciler remove every container.
        Assert.Null(new DesiredStateStore(directory).Current);
    }

    [Fact]
    public void TryUpdate_WhileUnknown_TakesWhateverThePortalSendsEvenAnOlderRevision()
    {
        new DesiredStateStore(directory).TryUpdate(State(5, "web"));
        File.WriteAllText(FilePath, "");
        File.WriteAllText(FilePath + DurableFile.BackupSuffix, "");
        var store = new DesiredStateStore(directory);

        Assert.True(store.TryUpdate(State(0)));

        Assert.Equal(0, store.Current!.Revision);
        Assert.Equal(0, new DesiredStateStore(directory).Current!.Revision);
    }

    [Fact]
    public void Current_FileAnAgentBefore030Wrote_IsReadInTheOldShape()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(FilePath, """
            {"revision":12,"workloads":[{"name":"web","deploymentId":"dep1","image":"local/busybox:1","command":["sleep","3600"],
            "environment":{},"ports":[],"volumes":[],"restartPolicy":"unless-stopped","networkMode":"host","limits":{},"specHash":"h1"}],"models":[]}
            """);

        var current = new DesiredStateStore(directory).Current;

        Assert.Equal(12, current!.Revision);
        Assert.Equal("h1", Assert.Single(current.Containers()).SpecHash);
        Assert.Equal(WorkloadKind.Container, Assert.Single(current.All()).Kind);
    }

    [Fact]
    public void TryUpdate_OldShape_IsStoredInTheNewShape()
    {
        var store = new DesiredStateStore(directory);

        Assert.True(store.TryUpdate(new DesiredState(4, null, [State(4, "web").Containers()[0]], [])));

        var stored = new DesiredStateStore(directory).Current!;
        Assert.Null(stored.Workloads);
        Assert.Equal("web", Assert.Single(stored.Items!).Name);
    }

    [Fact]
    public void TryUpdate_NeitherList_IsRefusedAndRemovesNothing()
    {
        var store = new DesiredStateStore(directory);
        store.TryUpdate(State(5, "web"));

        Assert.False(store.TryUpdate(new DesiredState(6, null)));

        Assert.Equal(5, store.Current!.Revision);
        Assert.Equal("web", Assert.Single(store.Current.Containers()).Name);
    }

    [Fact]
    public void TryUpdate_WorkloadWithoutItsKindsSpec_IsRefused()
    {
        var store = new DesiredStateStore(directory);
        store.TryUpdate(State(5, "web"));
        var broken = new DesiredState(6, [new DesiredWorkload(WorkloadKind.Container, "web", "dep1", "h2")]);
        var mismatched = new DesiredState(7, [DesiredWorkload.Of(State(7, "web").Containers()[0]) with { Name = "db" }]);

        Assert.False(store.TryUpdate(broken));
        Assert.False(store.TryUpdate(mismatched));
        Assert.Equal(5, store.Current!.Revision);
    }

    [Fact]
    public void Current_FileWithNeitherList_IsUnknownNotAnEmptyState()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(FilePath, """{"revision":12}""");

        Assert.Null(new DesiredStateStore(directory).Current);
    }

    [Fact]
    public void Current_NoFile_IsTheEmptyState()
    {
        Assert.Equal(DesiredState.Empty, new DesiredStateStore(directory).Current);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
