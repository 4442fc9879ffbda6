namespace Portal.Bench;

/// <summary>Finds the repository's folders from wherever the tool's binaries are.</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "wwwroot-assets", "models", "catalog.json")) && File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository (Portal.sln, wwwroot-assets/models) was not found above " + AppContext.BaseDirectory);
    }

    public static string ModelsFolder() => Path.Combine(Root(), "wwwroot-assets", "models");

    /// <summary>A project's own build output, built with the same configuration as this tool (the bench references it).</summary>
    public static string Output(string project, string assembly)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(Root(), project, "bin", output.Parent!.Name, output.Name, assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the bench first.", path);
    }
}
