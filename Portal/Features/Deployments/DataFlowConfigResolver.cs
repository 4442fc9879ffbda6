using System.Security.Cryptography;
using System.Text;
using Portal.Features.FleetConfig;
using Portal.Shared.DataFlows;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: one device's copy of a data flow with <c>${config:KEY}</c> and <c>${secret:NAME}</c> in any of its texts (a
/// PLC's host, a broker's user and password, a topic) replaced by that device's values; a secret goes in protected
/// (revealed only on the way to the device). The spec hash then covers each value used (a secret by its SHA-256), so
/// the flow restarts only when a value it uses changes.
/// </summary>
public static class DataFlowConfigResolver
{
    public static DataFlowWorkloadSpec Resolve(DataFlowWorkloadSpec spec, DeviceConfig config, Func<string, string> protect)
    {
        var used = ConfigReference.In(DataFlowTexts.All(spec.Flow));
        if (used.Count == 0)
        {
            return spec;
        }

        string? Value(ConfigReference r) =>
            r.IsSecret ? (config.Secrets.TryGetValue(r.Key, out var secret) ? protect(secret) : null)
            : config.Values.GetValueOrDefault(r.Key);

        var inputs = new StringBuilder(spec.SpecHash);
        foreach (var reference in used.OrderBy(r => r.ToString(), StringComparer.Ordinal))
        {
            var value = reference.IsSecret ? config.Secrets.GetValueOrDefault(reference.Key) : config.Values.GetValueOrDefault(reference.Key);
            inputs.Append('|').Append(reference).Append('=').Append(value is null ? "-" : Sha256(value));
        }

        return spec with
        {
            Flow = DataFlowTexts.Map(spec.Flow, text => ConfigReference.Replace(text, Value)),
            SpecHash = Sha256(inputs.ToString())[..16],
        };
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
