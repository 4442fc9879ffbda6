using Portal.Features.Audit;
using Portal.Features.Users;

namespace Portal.Tests.Users;

/// <summary>Remembers the switch's last choice and who made it.</summary>
internal sealed class FakeTwoFactorRequirement : ITwoFactorRequirement
{
    public bool RequiredForAdmins { get; private set; }

    public AuditActor? ChangedBy { get; private set; }

    public Task SetRequiredForAdminsAsync(bool required, AuditActor actor, CancellationToken ct = default)
    {
        (RequiredForAdmins, ChangedBy) = (required, actor);
        return Task.CompletedTask;
    }
}
