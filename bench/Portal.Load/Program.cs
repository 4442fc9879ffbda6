using System.Globalization;
using Portal.Load;

// dotnet run -c Release --project bench/Portal.Load -- agents 500,1000,2000,5000,10000 [windowSeconds]
//                                                   -- fanout N   |   -- reconnect N   |   (internal) echo-server PORT
var what = args.FirstOrDefault() ?? "";
var limit = MaxAgents();
switch (what)
{
    case "echo-server":
        await EchoServer.RunAsync(Number(args, 1, 0));
        return 0;
    case "agents":
        var steps = (args.Length > 1 ? args[1] : "500,1000,2000,5000,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        if (steps.Max() > limit)
        {
            return TooMany(steps.Max(), limit);
        }

        Header($"agents {string.Join(',', steps)}");
        await AgentsBench.RunAsync(steps, Number(args, 2, 30), p99LimitMs: 250);
        return 0;
    case "fanout" or "reconnect":
        var n = Number(args, 1, 1000);
        if (n > limit)
        {
            return TooMany(n, limit);
        }

        Header($"{what} {n}");
        await (what == "fanout" ? FanoutBench.RunAsync(n, Number(args, 2, 2)) : ReconnectBench.RunAsync(n));
        return 0;
    default:
        Console.Error.WriteLine("Usage: agents STEPS[,STEPS...] [windowSeconds] | fanout N [deployments] | reconnect N");
        return 2;
}

static int Number(string[] args, int index, int fallback) =>
    args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

// Each simulated agent holds one socket in this process and one in the server: stay well under the descriptor limit.
static int MaxAgents()
{
    var soft = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
    return soft == "unlimited" ? 50_000 : int.Parse(soft, CultureInfo.InvariantCulture) - 2_000;
}

static int TooMany(int asked, int limit)
{
    Console.Error.WriteLine($"{asked} agents would pass this process's file-descriptor limit (ulimit -n, less 2000 spare): at most {limit}.");
    return 2;
}

static void Header(string what) =>
    Console.WriteLine($"Portal.Load {what}: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs, .NET {Environment.Version}, " +
        $"{File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim()}");
