using System.Globalization;
using Portal.Bench;

// dotnet run -c Release --project bench/Portal.Bench -- inference [iterations]
// dotnet run -c Release --project bench/Portal.Bench -- dataflow [seconds per row] [rounds]
// dotnet run -c Release --project bench/Portal.Bench -- telemetry [devices] [batches per device] [rounds]
// dotnet run -c Release --project bench/Portal.Bench -- agent-at-rest [seconds] [docker endpoint | -] [--agent=PUBLISHED_EXE] [--settle=SECONDS] [AGENT_ENV=VALUE ...]
var what = args.FirstOrDefault() ?? "inference";
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
Console.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
switch (what)
{
    case "inference":
        var iterations = Arg(1, 5000);
        Console.WriteLine($"Inference, {iterations} requests per row, ONNX Runtime intra-op threads 1");
        await InferenceBench.RunAsync(Repository.ModelsFolder(), iterations);
        return 0;
    case "dataflow":
        // dotnet run -c Release --project bench/Portal.Bench -- dataflow [seconds per row] [rounds]
        await DataFlowBench.RunAsync(seconds: Arg(1, 15), rounds: Arg(2, 2));
        return 0;
    case "telemetry":
        await TelemetryBench.RunAsync(devices: Arg(1, 1000), batchesPerDevice: Arg(2, 31), rounds: Arg(3, 2));
        return 0;
    case "telemetry-postgres":
        // dotnet run -c Release --project bench/Portal.Bench -- telemetry-postgres "Host=127.0.0.1;Port=N;Username=postgres" [devices] [batches] [rounds]
        await TelemetryPostgresBench.RunAsync(args[1], devices: Arg(2, 1000), batchesPerDevice: Arg(3, 21), rounds: Arg(4, 2));
        return 0;
    case "agent-at-rest":
        var docker = args.Length > 2 && args[2] != "-" ? args[2] : null;
        string? Option(string name) => args.Skip(3).FirstOrDefault(a => a.StartsWith(name, StringComparison.Ordinal))?[name.Length..];
        var agentEnvironment = args.Skip(3).Where(a => !a.StartsWith("--", StringComparison.Ordinal))
            .Select(a => a.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        var settle = Option("--settle=") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 15;
        return await AgentAtRestBench.RunAsync(seconds: Arg(1, 60), docker, agentEnvironment, Option("--agent="), settle);
    default:
        Console.Error.WriteLine($"Unknown benchmark '{what}'. Known: inference, dataflow, telemetry, telemetry-postgres, agent-at-rest.");
        return 2;
}
