using System.IO.Compression;
using System.Text;
using Portal.Features.Compose;

namespace Portal.Tests.Compose;

/// <summary>Uploaded stacks, friendly and hostile: what is kept, and what is refused with a message a person can act on.</summary>
public sealed class ComposeArchiveTests
{
    private const string Compose = "services:\n  web:\n    image: local/busybox:1\n    env_file: app.env\n";

    [Fact]
    public void Read_ZipWithComposeAndConfigFile_KeepsBothByName()
    {
        var bundle = ComposeArchive.Read("stack.zip", Zip(("compose.yaml", Compose), ("app.env", "MODE=edge\n")));

        Assert.Equal("compose.yaml", bundle.ComposeFileName);
        Assert.Equal(Compose, bundle.Compose);
        Assert.Equal("MODE=edge\n", Assert.Single(bundle.Files, f => f.Key == "app.env").Value);
        Assert.DoesNotContain("compose.yaml", bundle.Files.Keys);
    }

    [Fact]
    public void Read_YamlFile_IsTheComposeFileWithoutABom()
    {
        var bundle = ComposeArchive.Read("my-stack.yml", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Compose)]);

        Assert.Equal(Compose, bundle.Compose);
        Assert.Empty(bundle.Files);
    }

    [Fact]
    public void Read_ZipWithMacOsClutterAndRootFolderEntry_SkipsThem()
    {
        var bundle = ComposeArchive.Read("s.zip", Zip(("docker-compose.yml", Compose), ("__MACOSX/._docker-compose.yml", "x"), (".DS_Store", "x"), ("empty/", "")));

        Assert.Equal("docker-compose.yml", bundle.ComposeFileName);
        Assert.Empty(bundle.Files);
    }

    [Theory]
    [InlineData("../evil.env", "points outside the archive")]
    [InlineData("/etc/passwd", "points outside the archive")]
    [InlineData("a/../../x", "points outside the archive")]
    [InlineData("C:/windows/x", "points outside the archive")]
    [InlineData("config/app.env", "is in a folder")]
    public void Read_HostileOrNestedPath_IsRefused(string entry, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => ComposeArchive.Read("s.zip", Zip(("compose.yaml", Compose), (entry, "A=1"))));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HugeEntryThatCompressesWell_StopsAtTheLimitWhileInflating()
    {
        var bomb = new string('a', 8 * 1024 * 1024);

        var error = Assert.Throws<InvalidDataException>(() => ComposeArchive.Read("s.zip", Zip(("compose.yaml", Compose), ("big.env", bomb))));

        Assert.Equal("'big.env' in the zip is larger than 256 KiB once unpacked; a stack's file may be at most that.", error.Message);
    }

    [Fact]
    public void Read_ManySmallFilesAboveTheTotal_IsRefused()
    {
        var files = Enumerable.Range(0, 5).Select(i => ($"f{i}.env", new string('x', 250 * 1024))).Prepend(("compose.yaml", Compose)).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ComposeArchive.Read("s.zip", Zip(files)));

        Assert.Contains("more than 1 MiB once unpacked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TooManyEntries_IsRefusedWithTheLimit()
    {
        var files = Enumerable.Range(0, 40).Select(i => ($"f{i}.env", "A=1")).Prepend(("compose.yaml", Compose)).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ComposeArchive.Read("s.zip", Zip(files)));

        Assert.Equal("The zip holds 41 files; a stack may bring at most 32.", error.Message);
    }

    [Fact]
    public void Read_NoComposeFileAtTheRoot_SaysWhichNamesCount()
    {
        var error = Assert.Throws<InvalidDataException>(() => ComposeArchive.Read("s.zip", Zip(("stack.yaml", Compose))));

        Assert.Equal("The zip has no compose file at its root: name it compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml.", error.Message);
    }

    [Fact]
    public void Read_TwoComposeFiles_AsksToKeepOne()
    {
        var error = Assert.Throws<InvalidDataException>(() => ComposeArchive.Read("s.zip", Zip(("compose.yaml", Compose), ("docker-compose.yml", Compose))));

        Assert.Equal("The zip holds both compose.yaml and docker-compose.yml: keep one compose file, so it is clear which one runs.", error.Message);
    }

    [Fact]
    public void Read_NotUtf8_SaysSo()
    {
        var latin1 = Encoding.Latin1.GetBytes("GREETING=Grüße\n");

        var error = Assert.Throws<InvalidDataException>(() => ComposeArchive.Read("s.zip", Zip([("compose.yaml", Encoding.UTF8.GetBytes(Compose)), ("app.env", latin1)])));

        Assert.Equal("'app.env' is not UTF-8 text: save it as UTF-8 and upload it again.", error.Message);
    }

    [Theory]
    [InlineData("stack.zip", "not a readable zip archive")]
    [InlineData("stack.txt", "is neither a compose file nor a zip")]
    public void Read_WrongKindOfFile_IsRefused(string name, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => ComposeArchive.Read(name, Encoding.UTF8.GetBytes(Compose)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ComposeFileTooLarge_IsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => ComposeArchive.Read("c.yaml", new byte[ComposeArchive.MaxFileBytes + 1]));

        Assert.Contains("at most 256 KiB", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Zip(params (string Name, string Text)[] files) =>
        Zip([.. files.Select(f => (f.Name, Encoding.UTF8.GetBytes(f.Text)))]);

    private static byte[] Zip((string Name, byte[] Bytes)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in files)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                stream.Write(bytes);
            }
        }

        return buffer.ToArray();
    }
}
