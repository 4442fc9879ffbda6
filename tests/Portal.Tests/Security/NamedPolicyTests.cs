using Portal.Security;

namespace Portal.Tests.Security;

/// <summary>Who may call an endpoint is said by a named policy (PortalPolicies), not by role lists repeated in each endpoint file.</summary>
public sealed class NamedPolicyTests
{
    [Fact]
    public void NoEndpointFile_ListsRolesInline()
    {
        var root = RepositoryRoot();
        var inline = Directory.EnumerateFiles(Path.Combine(root, "Portal"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "PortalPolicies.cs"
                && File.ReadAllText(f).Contains("RequireRole(", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();

        Assert.True(inline.Count == 0, "Use PortalPolicies instead of RequireRole in:\n" + string.Join("\n", inline));
    }

    [Fact]
    public void ThePolicies_HaveDistinctNames()
    {
        Assert.Equal(4, new[] { PortalPolicies.Read, PortalPolicies.Change, PortalPolicies.Admin, PortalPolicies.Device }.Distinct(StringComparer.Ordinal).Count());
    }

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
