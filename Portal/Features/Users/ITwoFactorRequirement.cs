using Portal.Features.Audit;

namespace Portal.Features.Users;

/// <summary>Whether admins must use two-factor sign-in, and the admin's switch that changes it (audited).</summary>
public interface ITwoFactorRequirement
{
    bool RequiredForAdmins { get; }

    Task SetRequiredForAdminsAsync(bool required, AuditActor actor, CancellationToken ct = default);
}
