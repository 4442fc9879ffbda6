namespace Portal.Shared.Notifications;

/// <summary>
/// What every webhook POST carries besides its JSON body. <see cref="Signature"/> is <c>sha256=</c> and the lowercase
/// hex of HMAC-SHA256 over exactly the body's bytes, keyed with the channel's secret: compare it in constant time.
/// <see cref="Delivery"/> stays the same on every retry of one notification, so a receiver can drop repeats.
/// </summary>
public static class WebhookHeaders
{
    public const string Signature = "X-Portal-Signature";
    public const string Event = "X-Portal-Event";
    public const string Delivery = "X-Portal-Delivery";
}
