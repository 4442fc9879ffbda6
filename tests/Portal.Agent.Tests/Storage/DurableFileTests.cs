using System.Text.Json;
using Portal.Agent.Storage;

namespace Portal.Agent.Tests.Storage;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DurableFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;
    private readonly string root = Path.Combine(Path.GetTempPath(), "portal-durable-tests", Guid.NewGuid().ToString("N"));

    private sealed record Note(string Text, int Number);

    private string PathOf(string name) => Path.Combine(root, "data", name);

    [Fact]
    public void Write_NewFileInANewFolder_FileAndCopyAre0600AndFolderIs0700()
    {
        var path = PathOf("note.json");

        DurableFile.WriteJson(path, new Note("secret", 1), Json);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path + DurableFile.BackupSuffix));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Write_OverAFileAndATemporaryFileLeftByACrash_ReplacesBothAndKeepsThemOwnerOnly()
    {
        var path = PathOf("note.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", "{\"text\":\"half");
        File.SetUnixFileMode(path + ".tmp", OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        DurableFile.WriteJson(path, new Note("new", 2), Json);

        Assert.Equal(new Note("new", 2), DurableFile.ReadJson<Note>(path, Json).Value);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"text\":\"sec")]
    [InlineData("\0\0\0\0")]
    public void ReadJson_FileDamaged_ReadsTheLastGoodCopyAndSaysWhatWasWrong(string damaged)
    {
        var path = PathOf("note.json");
        DurableFile.WriteJson(path, new Note("kept", 3), Json);
        File.WriteAllText(path, damaged);

        var read = DurableFile.ReadJson<Note>(path, Json);

        Assert.Equal(DurableReadOutcome.ReadFromBackup, read.Outcome);
        Assert.Equal(new Note("kept", 3), read.Value);
        Assert.False(string.IsNullOrEmpty(read.Problem));
    }

    [Fact]
    public void ReadJson_FileAndCopyDamaged_IsDamagedWithTheReason()
    {
        var path = PathOf("note.json");
        DurableFile.WriteJson(path, new Note("lost", 4), Json);
        File.WriteAllText(path, "{\"text\":");
        File.WriteAllText(path + DurableFile.BackupSuffix, "");

        var read = DurableFile.ReadJson<Note>(path, Json);

        Assert.Equal(DurableReadOutcome.Damaged, read.Outcome);
        Assert.Null(read.Value);
        Assert.Contains("not valid JSON", read.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadJson_ParsesButFailsTheCheck_FallsBackToTheCopy()
    {
        var path = PathOf("note.json");
        DurableFile.WriteJson(path, new Note("good", 5), Json);
        File.WriteAllText(path, "{}");

        var read = DurableFile.ReadJson<Note>(path, Json, n => !string.IsNullOrEmpty(n.Text));

        Assert.Equal(DurableReadOutcome.ReadFromBackup, read.Outcome);
        Assert.Equal("good", read.Value!.Text);
    }

    [Fact]
    public void ReadJson_FileDeletedButCopyLeft_IsMissing()
    {
        var path = PathOf("note.json");
        DurableFile.WriteJson(path, new Note("old", 6), Json);
        File.Delete(path);

        Assert.Equal(DurableReadOutcome.Missing, DurableFile.ReadJson<Note>(path, Json).Outcome);
    }

    [Fact]
    public void ReadJson_FileAnOlderAgentLeftWorldReadable_IsMadeOwnerOnly()
    {
        var path = PathOf("note.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(new Note("old", 7), Json));
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var read = DurableFile.ReadJson<Note>(path, Json);

        Assert.Equal(DurableReadOutcome.Read, read.Outcome);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void DirectorySyncFlush_AFolder_ReachesFsync()
    {
        Directory.CreateDirectory(root);

        // The rename's durability depends on it: a broken binding would silently return false.
        Assert.True(DirectorySync.Flush(root));
        Assert.False(DirectorySync.Flush(Path.Combine(root, "missing")));
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
