namespace Portal.Common;

/// <summary>
/// Carries notifications between portal instances. Alone (no <c>ConnectionStrings:Redis</c>) there is no one to tell
/// and it does nothing; with Redis every instance's subscribers hear what any instance publishes.
/// </summary>
public interface IClusterBus
{
    /// <summary>True when other instances may be listening.</summary>
    bool IsShared { get; }

    /// <summary>Sends to the other instances (never back to this one).</summary>
    void Publish(string topic, string payload);

    /// <summary>Hears what the other instances publish on the topic.</summary>
    IDisposable Subscribe(string topic, Action<string> handler);
}
