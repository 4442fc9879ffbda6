using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// One kind's part of the one deploy dialog (<see cref="DeployDialog"/>): the component with its fields, the name it
/// suggests, what it puts in the request, and what must be filled in before deploying. The dialog owns what every kind
/// shares: the name, the targets, the check, the rollout strategy, sending the request and opening the deployment.
/// </summary>
public abstract class DeployDraft
{
    /// <summary>The component showing this kind's fields. It takes two parameters: <c>Draft</c> (this object, which it
    /// changes) and <c>Changed</c> (an <see cref="Microsoft.AspNetCore.Components.EventCallback"/> it invokes after each change).</summary>
    public abstract Type Fields { get; }

    /// <summary>The deployment name suggested until the operator types one.</summary>
    public abstract string SuggestedName { get; }

    /// <summary>What a device reports once it runs this kind ("Running", "Ready"), named by the strategy's help text.</summary>
    public virtual string ReadyWord => "Running";

    /// <summary>The request with this kind's source fields set (app and version and parameters, or model and version and runtime).</summary>
    public abstract CreateDeploymentRequest ApplyTo(CreateDeploymentRequest request);

    /// <summary>A sentence saying what is still missing, or null when the draft can be sent.</summary>
    public virtual string? Missing() => null;
}
