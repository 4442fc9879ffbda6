using Portal.Agent;
using Portal.Agent.Configuration;

var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddCommandLine(args, AgentCommandLine.SwitchMappings);

var problems = AgentOptionsCheck.Problems(builder.Configuration.GetSection(AgentOptions.SectionName).Get<AgentOptions>() ?? new AgentOptions());
if (problems.Count > 0)
{
    await Console.Error.WriteLineAsync($"Portal.Agent cannot start: {string.Join(" ", problems)}");
    await Console.Error.WriteLineAsync("Usage: Portal.Agent --portal URL --enroll TOKEN [--data-dir DIR] [--name NAME]   (first start)");
    await Console.Error.WriteLineAsync("       Portal.Agent --portal URL [--data-dir DIR]                                  (later starts)");
    return 2;
}

builder.Services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName);
builder.Services.AddHostedService<AgentWorker>();
await builder.Build().RunAsync();
return 0;
