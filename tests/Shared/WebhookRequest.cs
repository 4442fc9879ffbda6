namespace Portal.Testing;

/// <summary>
/// One request a <see cref="WebhookReceiver"/> received: its path, its headers (looked up case-insensitively, several
/// values of one header joined with commas), the exact bytes of its body, and the status code it was answered with.
/// </summary>
internal sealed record WebhookRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredWith)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>The value of a header, or null where the request did not carry it.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
