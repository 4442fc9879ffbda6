using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Security;

/// <summary>
/// Secret marketplace parameters at rest: a secret's value is stored as <c>{enc:v1:…}</c> (ASP.NET Core Data
/// Protection, its own purpose, keys in the data directory) in a deployment's parameters, and so also inside the
/// commands and environment of the desired states built from them. Only the desired state sent to a device is
/// revealed. Plain values (rows from before encryption) pass through unchanged.
/// </summary>
public sealed partial class SecretParameters(IDataProtectionProvider provider, ILogger<SecretParameters> logger)
{
    public const string Purpose = "Portal.Deployments.SecretParameters.v1";
    public const string Marker = "enc:v1:";

    private readonly IDataProtector protector = provider.CreateProtector(Purpose);

    public static bool IsProtected(string value) => Token().IsMatch(value);

    /// <summary>The values to store: each secret's (by the version's schema) protected, the others as given.</summary>
    public Dictionary<string, string> Protect(IReadOnlyList<AppParameter>? schema, IReadOnlyDictionary<string, string> values) =>
        values.ToDictionary(
            kv => kv.Key,
            kv => schema?.FirstOrDefault(p => p.Name == kv.Key)?.Secret == true && !IsProtected(kv.Value) ? "{" + Marker + protector.Protect(kv.Value) + "}" : kv.Value,
            StringComparer.Ordinal);

    /// <summary>One value as it is stored inside a desired state (<c>{enc:v1:…}</c>); revealed only on the way to the device.</summary>
    public string Protect(string value) => "{" + Marker + protector.Protect(value) + "}";

    /// <summary>Stored values and given plain ones are the same parameters with the same values.</summary>
    public bool SameValues(IReadOnlyDictionary<string, string> stored, IReadOnlyDictionary<string, string> plain) =>
        stored.Count == plain.Count && stored.All(kv => plain.TryGetValue(kv.Key, out var value) && Reveal(kv.Value) == value);

    /// <summary>The desired state as the device needs it: every protected value in commands and environment in plain.</summary>
    public DesiredState Reveal(DesiredState state) =>
        new(state.Revision, [.. state.All().Select(w => w switch
        {
            { Container: { } c } => w with { Container = Reveal(c) },
            { Stack: { } s } => w with { Stack = s with { Services = [.. s.Services.Select(Reveal)] } },
            { Flow: { } f } => w with { Flow = f with { Flow = Portal.Shared.DataFlows.DataFlowTexts.Map(f.Flow, Reveal) } },
            _ => w,
        })]);

    private StackService Reveal(StackService service) => service with
    {
        Container = Reveal(service.Container),
        Entrypoint = service.Entrypoint?.Select(Reveal).ToList(),
    };

    public WorkloadSpec Reveal(WorkloadSpec workload) => workload with
    {
        Command = workload.Command.Select(Reveal).ToList(),
        Environment = workload.Environment.ToDictionary(kv => kv.Key, kv => Reveal(kv.Value), StringComparer.Ordinal),
        Registry = workload.Registry is { } registry ? registry with { Password = Reveal(registry.Password) } : null,
        SecretFiles = workload.SecretFiles?.ToDictionary(kv => kv.Key, kv => Reveal(kv.Value), StringComparer.Ordinal),
    };

    /// <summary>Replaces each <c>{enc:v1:…}</c> in the text by its plain value; one that cannot be read (lost keys) stays.</summary>
    public string Reveal(string text) => !text.Contains(Marker, StringComparison.Ordinal) ? text : Token().Replace(text, match =>
    {
        try
        {
            return protector.Unprotect(match.Groups[1].Value);
        }
        catch (CryptographicException ex)
        {
            // Never the value; the keys in the data directory are the likely cause.
            LogUnreadable(logger, ex.Message);
            return match.Value;
        }
    });

    [GeneratedRegex(@"\{enc:v1:([A-Za-z0-9_-]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    [LoggerMessage(Level = LogLevel.Error, Message = "A secret parameter could not be decrypted (were the data-protection keys in the data directory replaced?): {Error}")]
    private static partial void LogUnreadable(ILogger logger, string error);
}
