using Portal.Agent.Configuration;
using Portal.Agent.DataFlows;
using Portal.Agent.DeviceData;
using Portal.Agent.Docker;
using Portal.Agent.Reconciler;
using Portal.Agent.Enrollment;
using Portal.Agent.Inference;
using Portal.Agent.Inventory;
using Portal.Agent.Telemetry;
using Portal.Agent.Updates;

namespace Portal.Agent;

/// <summary>Why the agent stopped; the process returns it, and a host that embeds the agent can read it.</summary>
public sealed class AgentExit
{
    public int Code { get; set; }
}

/// <summary>The agent's services, for its own process and for a portal that hosts a local agent in-process.</summary>
public static class AgentServices
{
    public static IServiceCollection AddPortalAgent(this IServiceCollection services)
    {
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentExit>();
        services.AddSingleton<Portal.Agent.Actions.DeviceActionRunner>();
        services.AddHttpClient();
        services.AddSingleton<AgentIdentity>();
        services.AddSingleton<DockerProbe>();
        services.AddSingleton<InventoryCollector>();
        services.AddSingleton<TelemetryPump>();
        services.AddSingleton<DeviceDataPump>();
        services.AddSingleton<IFlowDataSink>(s => s.GetRequiredService<DeviceDataPump>());
        services.AddSingleton<IContainerRuntimeFactory, DockerRuntimeFactory>();
        services.AddSingleton(typeof(PlanRunner<>));
        services.AddSingleton<LogFollower>();
        services.AddSingleton<WorkloadReporter>();
        services.AddSingleton<ArtifactCache>();
        services.AddSingleton<ModelHost>();
        services.AddSingleton<InferenceServer>();
        // One reconciler, one driver per kind of workload.
        services.AddSingleton<ContainerDriver>();
        services.AddSingleton<IWorkloadDriver>(s => s.GetRequiredService<ContainerDriver>());
        services.AddSingleton<StackDriver>();
        services.AddSingleton<IWorkloadDriver>(s => s.GetRequiredService<StackDriver>());
        services.AddSingleton<ModelDriver>();
        services.AddSingleton<IWorkloadDriver>(s => s.GetRequiredService<ModelDriver>());
        services.AddSingleton<DataFlowDriver>();
        services.AddSingleton<IWorkloadDriver>(s => s.GetRequiredService<DataFlowDriver>());
        services.AddSingleton<ReleaseTrust>();
        services.AddSingleton<UpdateCheckIn>();
        services.AddSingleton<AgentReleaseDriver>();
        services.AddSingleton<IWorkloadDriver>(s => s.GetRequiredService<AgentReleaseDriver>());
        services.AddSingleton<WorkloadReconciler>();
        services.AddSingleton<ModelProfiler>();
        services.AddHostedService<AgentWorker>();
        return services;
    }
}
