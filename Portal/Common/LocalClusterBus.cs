namespace Portal.Common;

/// <summary>One instance alone: nothing to carry.</summary>
public sealed class LocalClusterBus : IClusterBus
{
    public bool IsShared => false;

    public void Publish(string topic, string payload)
    {
    }

    public IDisposable Subscribe(string topic, Action<string> handler) => new Nothing();

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
