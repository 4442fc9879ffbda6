using Portal.Agent.Configuration;

namespace Portal.Agent;

/// <summary>The agent's process entry point (a named class, so a portal that embeds the agent keeps its own Program).</summary>
public static class AgentProgram
{
    public static async Task<int> Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddCommandLine(args, AgentCommandLine.SwitchMappings);

        var problems = AgentOptionsCheck.Problems(builder.Configuration.GetSection(AgentOptions.SectionName).Get<AgentOptions>() ?? new AgentOptions());
        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync($"Portal.Agent cannot start: {string.Join(" ", problems)}");
            await Console.Error.WriteLineAsync("Usage: Portal.Agent --portal URL --enroll-file PATH [--data-dir DIR] [--name NAME]   (first start;");
            await Console.Error.WriteLineAsync("         or --enroll TOKEN, or the token in Agent__EnrollmentToken, instead of --enroll-file)");
            await Console.Error.WriteLineAsync("       Portal.Agent --portal URL [--data-dir DIR]                                       (later starts)");
            return AgentExitCodes.BadConfiguration;
        }

        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Services.AddPortalAgent();
        using var host = builder.Build();
        var exit = host.Services.GetRequiredService<AgentExit>();
        await host.RunAsync();
        return exit.Code;
    }
}
