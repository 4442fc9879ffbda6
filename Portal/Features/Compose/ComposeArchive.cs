using System.IO.Compression;
using System.Text;

namespace Portal.Features.Compose;

/// <summary>
/// Reads an uploaded stack: a compose file (.yaml/.yml) as it is, or a .zip with the compose file at its root and
/// config files beside it. Pure (bytes in, <see cref="ComposeBundle"/> out) so hostile archives are tested without a
/// server. Every refusal is an <see cref="InvalidDataException"/> whose message a person can act on. The sizes are
/// checked on what is actually inflated, never on what the archive's headers claim, so a zip bomb stops at the limit.
/// </summary>
public static class ComposeArchive
{
    public const int MaxEntries = 32;
    public const int MaxFileBytes = 256 * 1024;
    public const int MaxTotalBytes = 1024 * 1024;

    /// <summary>The names Compose itself looks for, in its order of preference.</summary>
    public static readonly IReadOnlyList<string> ComposeNames = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

    /// <summary>What a person is told the upload may be.</summary>
    public const string Limits = "a compose file (.yaml or .yml) or a .zip with compose.yaml (or compose.yml, docker-compose.yaml, docker-compose.yml) " +
        "at its root and config files beside it; at most 32 files in the zip, 256 KiB per file and 1 MiB in all, UTF-8 text, no folders";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsZip(string fileName) => fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    public static bool IsYaml(string fileName) =>
        fileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads an upload by its file name: a zip, or a compose file.</summary>
    public static ComposeBundle Read(string fileName, byte[] content)
    {
        if (IsZip(fileName))
        {
            return ReadZip(content);
        }

        if (!IsYaml(fileName))
        {
            throw new InvalidDataException($"'{fileName}' is neither a compose file nor a zip: upload {Limits}.");
        }

        if (content.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"'{fileName}' is {content.Length / 1024} KiB; a compose file may be at most {MaxFileBytes / 1024} KiB.");
        }

        return new ComposeBundle(fileName, Text(fileName, content), new Dictionary<string, string>());
    }

    public static ComposeBundle ReadZip(byte[] content)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            throw new InvalidDataException("The file is not a readable zip archive. Zip the compose file and its config files again and upload the result.");
        }

        using (zip)
        {
            var entries = zip.Entries.Where(e => !IsClutter(e.FullName)).ToList();
            if (entries.Count > MaxEntries)
            {
                throw new InvalidDataException($"The zip holds {entries.Count} files; a stack may bring at most {MaxEntries}.");
            }

            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            var total = 0L;
            foreach (var entry in entries)
            {
                var name = CheckedName(entry.FullName);
                if (name is null)
                {
                    continue;
                }

                var bytes = Inflate(entry, name);
                total += bytes.Length;
                if (total > MaxTotalBytes)
                {
                    throw new InvalidDataException($"The zip's files come to more than {MaxTotalBytes / 1024 / 1024} MiB once unpacked; a stack may bring at most that.");
                }

                if (!files.TryAdd(name, Text(name, bytes)))
                {
                    throw new InvalidDataException($"The zip holds '{name}' twice.");
                }
            }

            var composeNames = ComposeNames.Where(files.ContainsKey).ToList();
            if (composeNames.Count == 0)
            {
                throw new InvalidDataException($"The zip has no compose file at its root: name it {string.Join(", ", ComposeNames.SkipLast(1))} or {ComposeNames[^1]}.");
            }

            if (composeNames.Count > 1)
            {
                throw new InvalidDataException($"The zip holds both {string.Join(" and ", composeNames)}: keep one compose file, so it is clear which one runs.");
            }

            var compose = files[composeNames[0]];
            files.Remove(composeNames[0]);
            return new ComposeBundle(composeNames[0], compose, files);
        }
    }

    /// <summary>The entry's file name, null for a bare folder entry; refuses paths that leave the root or sit in folders.</summary>
    private static string? CheckedName(string fullName)
    {
        var name = fullName.Replace('\\', '/');
        if (name.StartsWith('/') || (name.Length > 1 && name[1] == ':') || name.Split('/').Any(part => part == ".."))
        {
            throw new InvalidDataException($"The zip entry '{fullName}' points outside the archive; such paths are refused.");
        }

        var trimmed = name.TrimEnd('/');
        if (name.EndsWith('/') && !trimmed.Contains('/'))
        {
            return null;
        }

        if (trimmed.Contains('/'))
        {
            throw new InvalidDataException($"The zip entry '{fullName}' is in a folder: put the compose file and its config files side by side at the zip's root.");
        }

        return trimmed.Length == 0 ? null : trimmed;
    }

    private static byte[] Inflate(ZipArchiveEntry entry, string name)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                throw new InvalidDataException($"'{name}' in the zip is larger than {MaxFileBytes / 1024} KiB once unpacked; a stack's file may be at most that.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Text(string name, byte[] bytes)
    {
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"'{name}' is not UTF-8 text: save it as UTF-8 and upload it again.");
        }
    }

    /// <summary>What archivers add on their own (macOS resource forks, Finder's folder settings): skipped, not refused.</summary>
    private static bool IsClutter(string fullName) =>
        fullName.StartsWith("__MACOSX/", StringComparison.Ordinal) || fullName.EndsWith(".DS_Store", StringComparison.Ordinal);
}
