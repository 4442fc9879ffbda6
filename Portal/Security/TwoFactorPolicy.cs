using System.Text.Json;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Features.Audit;

namespace Portal.Security;

/// <summary>
/// Whether admins must use two-factor sign-in: <c>Portal:Security:RequireTwoFactorForAdmins</c>, unless an admin
/// chose otherwise on the Users page. That choice lives in a small JSON file in the data directory (no table needed).
/// </summary>
public sealed class TwoFactorPolicy : ITwoFactorRequirement
{
    private readonly AuditLog audit;
    private readonly string path;
    private readonly bool configured;
    private readonly Lock gate = new();
    private bool? overridden;

    public TwoFactorPolicy(IOptions<PortalOptions> options, AuditLog audit)
    {
        this.audit = audit;
        path = Path.Combine(options.Value.ResolvedDataDirectory, "security-settings.json");
        configured = options.Value.Security.RequireTwoFactorForAdmins;
        overridden = Read(path);
    }

    public bool RequiredForAdmins
    {
        get
        {
            lock (gate)
            {
                return overridden ?? configured;
            }
        }
    }

    public async Task SetRequiredForAdminsAsync(bool required, AuditActor actor, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(new Settings(required)), ct);
        File.Move(temporary, path, overwrite: true);
        lock (gate)
        {
            overridden = required;
        }

        await audit.RecordAsync(actor, AuditActions.SecuritySettingChanged, null, "RequireTwoFactorForAdmins",
            detail: $"two-factor sign-in for admins {(required ? "required" : "not required")}", ct: ct);
    }

    private static bool? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))?.RequireTwoFactorForAdmins;
        }
        catch (JsonException)
        {
            // A damaged file must not lock admins out or silently drop the requirement: fall back to the configuration.
            return null;
        }
    }

    private sealed record Settings(bool? RequireTwoFactorForAdmins);
}
