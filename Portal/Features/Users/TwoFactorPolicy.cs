using System.Text.Json;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Agent.Storage;
using Portal.Features.Audit;
using Portal.Security;

namespace Portal.Features.Users;

/// <summary>
/// Whether admins must use two-factor sign-in: <c>Portal:Security:RequireTwoFactorForAdmins</c>, unless an admin
/// chose otherwise on the Users page. That choice lives in a small JSON file in the data directory (no table needed;
/// instances of a cluster share the data directory) and reaches the other instances as <see cref="TwoFactorPolicyChanged"/> news.
/// </summary>
public sealed class TwoFactorPolicy : ITwoFactorRequirement, IDisposable
{
    private readonly AuditLog audit;
    private readonly Portal.Common.Notifier<TwoFactorPolicyChanged> changes;
    private readonly IDisposable subscription;
    private readonly string path;
    private readonly bool configured;
    private readonly Lock gate = new();
    private bool? overridden;

    public TwoFactorPolicy(IOptions<PortalOptions> options, AuditLog audit, Portal.Common.Notifier<TwoFactorPolicyChanged> changes)
    {
        this.audit = audit;
        this.changes = changes;
        path = Path.Combine(options.Value.ResolvedDataDirectory, "security-settings.json");
        configured = options.Value.Security.RequireTwoFactorForAdmins;
        overridden = Read(path);
        subscription = changes.Subscribe(changed =>
        {
            lock (gate)
            {
                overridden = changed.RequiredForAdmins;
            }

            return Task.CompletedTask;
        });
    }

    public void Dispose() => subscription.Dispose();

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
        // Durably, with a last good copy: a power cut must not silently drop an admin's choice.
        DurableFile.WriteJson(path, new Settings(required), JsonSerializerOptions.Default);
        // Every instance's policy, this one's included, takes the new value from this news (delivered here at once).
        changes.Publish(new TwoFactorPolicyChanged(required));
        await audit.RecordAsync(actor, AuditActions.SecuritySettingChanged, null, "RequireTwoFactorForAdmins",
            detail: $"two-factor sign-in for admins {(required ? "required" : "not required")}", ct: ct);
    }

    /// <summary>
    /// The admins' choice; a damaged file falls back to its last good copy, and only when both are damaged to the
    /// configuration (never locking admins out).
    /// </summary>
    private static bool? Read(string path) =>
        DurableFile.ReadJson<Settings>(path, JsonSerializerOptions.Default).Value?.RequireTwoFactorForAdmins;

    private sealed record Settings(bool? RequireTwoFactorForAdmins);
}
