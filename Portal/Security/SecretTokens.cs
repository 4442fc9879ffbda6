using System.Security.Cryptography;
using System.Text;

namespace Portal.Security;

/// <summary>
/// Random bearer secrets (enrollment tokens, device secrets). They carry 256 bits of entropy, so a plain SHA-256
/// is a safe way to store them; comparisons are constant-time.
/// </summary>
public static class SecretTokens
{
    public static string Generate(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool Matches(string token, string storedHash)
    {
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        byte[] expected;
        try
        {
            expected = Convert.FromHexString(storedHash);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
