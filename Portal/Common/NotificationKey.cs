namespace Portal.Common;

/// <summary>
/// What a message of type <typeparamref name="T"/> is about (a device's id, a deployment's id), so that
/// <see cref="Notifier{T}"/> can hand it to the subscribers of that key only. Registered once per message type, by the
/// feature that owns it, with <see cref="NotificationServiceExtensions.AddNotificationKey{T}"/>.
/// </summary>
public sealed class NotificationKey<T>(Func<T, string?> of)
{
    /// <summary>The message's key; null when it is about nothing in particular (only unkeyed subscribers get it).</summary>
    public string? Of(T message) => of(message);
}
