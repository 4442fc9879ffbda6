using System.Security.Cryptography;
using System.Text;

namespace Portal.Features.Notifications;

/// <summary>The <c>X-Portal-Signature</c> of a webhook body: <c>sha256=</c> + lowercase hex of HMAC-SHA256(secret, body bytes).</summary>
public static class WebhookSignature
{
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
