using System.Text.RegularExpressions;

namespace Portal.Tests.Architecture;

/// <summary>
/// The portal's .cs and .razor files and the folders each one names: <c>Portal.X</c> namespaces in usings and
/// qualified names, names qualified from a parent namespace (<c>Features.Devices.X</c>, <c>Devices.DeviceService</c>,
/// <c>Layout.MainLayout</c>), and for a .razor file the usings of every <c>_Imports.razor</c> above it.
/// </summary>
internal sealed partial class PortalSources
{
    private static readonly string[] Skipped = ["bin", "obj", "wwwroot", "Properties"];

    private readonly string portal;
    private readonly Dictionary<string, string[]> shortNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> typesByFolder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> imports = new(StringComparer.Ordinal);
    private readonly HashSet<string> topLevel;

    private PortalSources(string repositoryRoot)
    {
        portal = Path.Combine(repositoryRoot, "Portal");
        Files = Directory.EnumerateFiles(portal, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(portal, f).Replace('\\', '/'))
            .Where(p => !Skipped.Contains(p.Split('/')[0], StringComparer.Ordinal) && !p.Split('/').Contains("bin") && !p.Split('/').Contains("obj"))
            .Order(StringComparer.Ordinal)
            .SelectMany(p => ReadFile(p))
            .ToList();
        topLevel = Directory.EnumerateDirectories(portal).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not "Features" and not "Components" && !Skipped.Contains(d, StringComparer.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        Folders = Directory.EnumerateDirectories(Path.Combine(portal, "Features")).Select(Path.GetFileName).OfType<string>()
            .Concat(topLevel)
            .Concat(Directory.EnumerateDirectories(Path.Combine(portal, "Components")).Select(d => "Components/" + Path.GetFileName(d)))
            .Append("Components")
            .Concat(Files.Where(f => !f.Path.Contains('/', StringComparison.Ordinal)).Select(f => f.Folder))
            .Where(HasSources)
            .ToHashSet(StringComparer.Ordinal);

        foreach (var folder in Folders)
        {
            var shortName = folder.Split('/')[^1];
            shortNames[shortName] = [.. shortNames.GetValueOrDefault(shortName, []), folder];
        }
    }

    public IReadOnlyList<PortalSourceFile> Files { get; }

    /// <summary>Every folder that holds source files, by its layering name.</summary>
    public IReadOnlySet<string> Folders { get; }

    public static PortalSources Read(string repositoryRoot) => new(repositoryRoot);

    /// <summary>The folders a file names other than its own.</summary>
    public IEnumerable<FolderReference> ReferencesOf(PortalSourceFile file)
    {
        var found = ReferencesIn(file, file.Text, null);
        if (file.Path.EndsWith(".razor", StringComparison.Ordinal))
        {
            found = found.Concat(ImportsAbove(file.Path).SelectMany(i => ReferencesIn(file, imports[i], i)));
        }

        return found.Where(r => r.Folder != file.Folder).DistinctBy(r => (r.Folder, r.Text, r.Via));
    }

    private IEnumerable<FolderReference> ReferencesIn(PortalSourceFile file, string text, string? via)
    {
        foreach (Match m in Qualified().Matches(text))
        {
            var first = m.Groups[1].Value;
            var second = m.Groups[2].Success ? m.Groups[2].Value : null;
            var folder = first switch
            {
                "Features" => second is not null && Folders.Contains(second) ? second : null,
                "Components" => second is not null && Folders.Contains("Components/" + second) ? "Components/" + second : "Components",
                _ => topLevel.Contains(first) ? first : null,
            };
            if (folder is not null)
            {
                yield return new FolderReference(file, folder, m.Value, via);
            }
        }

        foreach (Match m in Relative().Matches(text))
        {
            var type = m.Groups[2].Value;
            var folder = shortNames.GetValueOrDefault(m.Groups[1].Value, []).FirstOrDefault(f => typesByFolder.GetValueOrDefault(f)?.Contains(type) == true);
            if (folder is not null)
            {
                yield return new FolderReference(file, folder, m.Value, via);
            }
        }
    }

    private IEnumerable<string> ImportsAbove(string path)
    {
        for (var dir = Path.GetDirectoryName(path)?.Replace('\\', '/'); dir is not null; dir = dir.Length == 0 ? null : Path.GetDirectoryName(dir)?.Replace('\\', '/'))
        {
            var candidate = dir.Length == 0 ? "_Imports.razor" : dir + "/_Imports.razor";
            if (imports.ContainsKey(candidate))
            {
                yield return candidate;
            }
        }
    }

    private IEnumerable<PortalSourceFile> ReadFile(string path)
    {
        var text = File.ReadAllText(Path.Combine(portal, path));
        if (Path.GetFileName(path) == "_Imports.razor")
        {
            // Not a file of its own folder: its usings count for every .razor file below it.
            imports[path] = text;
            yield break;
        }

        var folder = FolderOf(path);
        var types = typesByFolder.TryGetValue(folder, out var known) ? known : typesByFolder[folder] = new HashSet<string>(StringComparer.Ordinal);
        types.UnionWith(path.EndsWith(".razor", StringComparison.Ordinal)
            ? [Path.GetFileNameWithoutExtension(path)]
            : TypeDeclaration().Matches(text).Select(m => m.Groups[1].Value));
        yield return new PortalSourceFile(path, folder, text);
    }

    private bool HasSources(string folder) => Files.Any(f => f.Folder == folder);

    private static string FolderOf(string path)
    {
        var parts = path.Split('/');
        return parts.Length == 1 ? parts[0]
            : parts[0] == "Features" ? parts[1]
            : parts[0] == "Components" ? (parts.Length > 2 ? "Components/" + parts[1] : "Components")
            : parts[0];
    }

    /// <summary><c>Portal.Data</c>, <c>Portal.Features.Devices</c>, <c>Portal.Components.Shared</c>, and <c>Features.Devices</c> from inside <c>Portal</c>.</summary>
    [GeneratedRegex(@"(?:\bPortal\.|(?<![\w.])(?=Features\.))(\w+)(?:\.(\w+))?")]
    private static partial Regex Qualified();

    /// <summary><c>Devices.DeviceService</c>, <c>Hosting.OpenApiSetup</c>, <c>Layout.MainLayout</c>: counted only when the type is declared in that folder.</summary>
    [GeneratedRegex(@"(?<![\w.])(\w+)\.([A-Z]\w*)")]
    private static partial Regex Relative();

    [GeneratedRegex(@"\b(?:class|record|interface|enum|struct)\s+([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();
}
