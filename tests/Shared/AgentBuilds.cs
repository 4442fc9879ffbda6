using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Testing;

/// <summary>
/// The agent published as a real release build (self-contained single file, as <c>Portal.Agent/deploy/publish.sh</c>
/// makes it) with a given version stamped in. The sources are copied to a scratch folder first, so the repository's
/// own bin/ and obj/ are never touched; builds are kept by a hash of the sources, so a second run reuses them.
/// </summary>
internal static class AgentBuilds
{
    private static readonly SemaphoreSlim Publishing = new(1, 1);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("No Portal.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>The path of the single-file agent build of <paramref name="version"/> for this machine's architecture.</summary>
    public static async Task<string> PublishAsync(string version, CancellationToken ct)
    {
        var root = RepositoryRoot();
        var sources = SourceFiles(root).ToList();
        var key = Hash(root, sources);
        var output = Path.Combine(Path.GetTempPath(), "portal-agent-builds", key, version);
        var binary = Path.Combine(output, "Portal.Agent");
        await Publishing.WaitAsync(ct);
        try
        {
            if (File.Exists(binary))
            {
                return binary;
            }

            // Builds of older sources (130 MB each) are of no further use.
            foreach (var stale in Directory.Exists(Path.GetDirectoryName(Path.GetDirectoryName(output))) ? Directory.GetDirectories(Path.GetDirectoryName(Path.GetDirectoryName(output))!) : [])
            {
                if (Path.GetFileName(stale) != key)
                {
                    try
                    {
                        Directory.Delete(stale, recursive: true);
                    }
                    catch (IOException)
                    {
                        // Another test process is using or removing it.
                    }
                }
            }

            var scratch = Path.Combine(Path.GetTempPath(), "portal-agent-src-" + Guid.NewGuid().ToString("N"));
            // Another test process may publish the same build at the same time: each writes its own folder, the first move wins.
            var temporary = $"{output}.{Guid.NewGuid():N}.tmp";
            foreach (var file in sources)
            {
                var target = Path.Combine(scratch, Path.GetRelativePath(root, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = scratch };
            foreach (var arg in new[]
            {
                "publish", Path.Combine("Portal.Agent", "Portal.Agent.csproj"), "-c", "Release", "-r", Portal.Shared.AgentReleases.AgentReleaseManifest.CurrentArchitecture(),
                "--self-contained", "-nologo", "-v", "q", "-p:PublishSingleFile=true", "-p:IncludeNativeLibrariesForSelfExtract=true",
                "-p:EnableCompressionInSingleFile=true", "-p:DebugType=none", $"-p:Version={version}", "-o", temporary,
            })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            Directory.Delete(scratch, recursive: true);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish of agent {version} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
            }

            try
            {
                Directory.Move(temporary, output);
            }
            catch (IOException) when (File.Exists(binary))
            {
                Directory.Delete(temporary, recursive: true);
            }

            return binary;
        }
        finally
        {
            Publishing.Release();
        }
    }

    private static IEnumerable<string> SourceFiles(string root)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "nuget.config", "NuGet.config" })
        {
            if (File.Exists(Path.Combine(root, file)))
            {
                yield return Path.Combine(root, file);
            }
        }

        foreach (var project in new[] { "Portal.Agent", "Portal.Shared" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, project), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(Path.Combine(root, project), file).Split(Path.DirectorySeparatorChar)[0];
                if (relative is not ("bin" or "obj"))
                {
                    yield return file;
                }
            }
        }
    }

    private static string Hash(string root, IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file) + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
