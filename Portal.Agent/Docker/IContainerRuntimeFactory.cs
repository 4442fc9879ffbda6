namespace Portal.Agent.Docker;

/// <summary>Makes the runtime once the device's id is known (it goes into every container's owner label).</summary>
public interface IContainerRuntimeFactory
{
    IContainerRuntime Create(string deviceId);
}
