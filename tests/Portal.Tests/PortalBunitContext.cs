using Bunit;
using Microsoft.AspNetCore.Components;

namespace Portal.Tests;

/// <summary>
/// A bUnit context that renders as the portal does: interactively, on the server. Components that ask
/// <c>RendererInfo</c> (LocalTime, the layout) need it said. It is set at the first render, because setting it
/// builds the renderer and so closes the service collection, which the tests fill in their constructors.
/// </summary>
public abstract class PortalBunitContext : BunitContext
{
    private bool rendererInfoSet;

    public new IRenderedComponent<TComponent> Render<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>>? parameterBuilder = null)
        where TComponent : IComponent
    {
        Interactive();
        return base.Render(parameterBuilder);
    }

    public new IRenderedComponent<TComponent> Render<TComponent>(RenderFragment renderFragment)
        where TComponent : IComponent
    {
        Interactive();
        return base.Render<TComponent>(renderFragment);
    }

    private void Interactive()
    {
        if (!rendererInfoSet)
        {
            SetRendererInfo(new RendererInfo("Server", isInteractive: true));
            rendererInfoSet = true;
        }
    }
}
