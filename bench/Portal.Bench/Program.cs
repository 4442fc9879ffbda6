using Portal.Bench;

// dotnet run -c Release --project bench/Portal.Bench -- inference [iterations]
var what = args.FirstOrDefault() ?? "inference";
var iterations = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5000;
switch (what)
{
    case "inference":
        Console.WriteLine($"Inference, {iterations} requests per row, {Environment.ProcessorCount} CPUs, .NET {Environment.Version}, ONNX Runtime intra-op threads 1");
        await InferenceBench.RunAsync(ModelsFolder(), iterations);
        return 0;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{what}'. Known: inference.");
        return 2;
}

static string ModelsFolder()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "wwwroot-assets", "models");
        if (File.Exists(Path.Combine(candidate, "catalog.json")))
        {
            return candidate;
        }
    }

    throw new DirectoryNotFoundException("wwwroot-assets/models was not found above " + AppContext.BaseDirectory);
}
