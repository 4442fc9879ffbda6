using System.Text.RegularExpressions;

namespace Portal.Tests.Components;

/// <summary>
/// An icon-only button means nothing to a screen reader without a label, and little to a new operator without a
/// tooltip: every MudIconButton in the portal has both (aria-label, and title or a MudTooltip around it).
/// </summary>
public sealed partial class IconButtonLabelTests
{
    [Fact]
    public void EveryIconButton_HasALabelAndATooltip()
    {
        var root = RepositoryRoot();
        var missing = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "Portal"), "*.razor", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (Match button in IconButton().Matches(text))
            {
                var before = text[Math.Max(0, button.Index - 160)..button.Index];
                var inTooltip = before.LastIndexOf("<MudTooltip", StringComparison.Ordinal) > before.LastIndexOf("</MudTooltip>", StringComparison.Ordinal);
                if (!button.Value.Contains("aria-label=", StringComparison.Ordinal) || !(button.Value.Contains("title=", StringComparison.Ordinal) || inTooltip))
                {
                    missing.Add($"{Path.GetRelativePath(root, file)}:{text[..button.Index].Count(c => c == '\n') + 1}");
                }
            }
        }

        Assert.True(missing.Count == 0, "Icon buttons without aria-label and title/tooltip:\n" + string.Join("\n", missing));
    }

    // Up to the tag's end: quoted attribute values may hold '>' (OnClick="() => …").
    [GeneratedRegex(@"<MudIconButton\b(?:[^>""]|""[^""]*"")*/?>", RegexOptions.Singleline)]
    private static partial Regex IconButton();

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found above the test binaries.");
    }
}
