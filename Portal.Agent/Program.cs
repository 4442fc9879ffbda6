using Portal.Agent;
using Portal.Agent.Configuration;
using Portal.Agent.Enrollment;
using Portal.Agent.Inventory;
using Portal.Agent.Telemetry;

var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddCommandLine(args, AgentCommandLine.SwitchMappings);

var problems = AgentOptionsCheck.Problems(builder.Configuration.GetSection(AgentOptions.SectionName).Get<AgentOptions>() ?? new AgentOptions());
if (problems.Count > 0)
{
    await Console.Error.WriteLineAsync($"Portal.Agent cannot start: {string.Join(" ", problems)}");
    await Console.Error.WriteLineAsync("Usage: Portal.Agent --portal URL --enroll TOKEN [--data-dir DIR] [--name NAME]   (first start)");
    await Console.Error.WriteLineAsync("       Portal.Agent --portal URL [--data-dir DIR]                                  (later starts)");
    return AgentExitCodes.BadConfiguration;
}

builder.Services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHttpClient();
builder.Services.AddSingleton<AgentIdentity>();
builder.Services.AddSingleton<DockerProbe>();
builder.Services.AddSingleton<InventoryCollector>();
builder.Services.AddSingleton<TelemetryPump>();
builder.Services.AddHostedService<AgentWorker>();
await builder.Build().RunAsync();
return Environment.ExitCode;
