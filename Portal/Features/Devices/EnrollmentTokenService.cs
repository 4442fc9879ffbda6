using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Devices;

namespace Portal.Features.Devices;

/// <summary>Creates, lists and revokes enrollment tokens. A token is shown once and stored hashed.</summary>
public sealed class EnrollmentTokenService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, AuditLog audit)
{
    public const string TokenPrefix = "enr_";
    public const double MaxHours = 24 * 365;

    /// <summary>The shortest life a token may have: time enough to copy it to a device and start the agent.</summary>
    public const int MinMinutes = 5;
    public const double MinHours = MinMinutes / 60.0;
    public const int MaxUsesLimit = 100_000;

    public async Task<OperationResult<CreatedEnrollmentToken>> CreateAsync(CreateEnrollmentTokenRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var name = request.Name?.Trim() ?? "";
        var hours = request.ExpiresInHours ?? 24;
        var maxUses = request.MaxUses ?? 1;
        var problem = name.Length is 0 or > 200 ? "Give the token a name of 1 to 200 characters, such as the site or batch it is for."
            : PlainText.Problem(name, "token name") is { } text ? text
            : !double.IsFinite(hours) || hours < MinHours || hours > MaxHours ? $"The expiry must be between {MinMinutes} minutes and {MaxHours} hours (expiresInHours {MinHours:0.####} to {MaxHours})."
            : maxUses is < 1 or > MaxUsesLimit ? $"The number of uses must be between 1 and {MaxUsesLimit}."
            : Labels.Problem(request.Labels);
        if (problem is not null)
        {
            return OperationResult<CreatedEnrollmentToken>.Fail(OperationOutcome.Invalid, problem);
        }

        var token = SecretTokens.Generate(TokenPrefix);
        var now = clock.GetUtcNow();
        var entity = new EnrollmentToken
        {
            Name = name,
            TokenHash = SecretTokens.Hash(token),
            CreatedAt = now,
            CreatedBy = actor.Name,
            ExpiresAt = now.AddHours(hours),
            MaxUses = maxUses,
            Labels = request.Labels?.ToDictionary(StringComparer.Ordinal) ?? [],
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.EnrollmentTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.EnrollmentTokenCreated, AuditTargets.EnrollmentToken(entity.Id), name,
            detail: $"{maxUses} use(s), expires {entity.ExpiresAt:u}", ct: cancellationToken);
        return OperationResult<CreatedEnrollmentToken>.Ok(new CreatedEnrollmentToken(ToDto(entity), token));
    }

    public async Task<IReadOnlyList<EnrollmentTokenDto>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = await db.EnrollmentTokens.AsNoTracking().ToListAsync(cancellationToken);
        return tokens.OrderByDescending(t => t.CreatedAt).Select(ToDto).ToList();
    }

    public async Task<OperationResult<EnrollmentTokenDto>> RevokeAsync(string id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.EnrollmentTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return OperationResult<EnrollmentTokenDto>.Fail(OperationOutcome.NotFound, "There is no such enrollment token.");
        }

        token.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.EnrollmentTokenRevoked, AuditTargets.EnrollmentToken(id), token.Name, ct: cancellationToken);
        return OperationResult<EnrollmentTokenDto>.Ok(ToDto(token));
    }

    internal static EnrollmentTokenDto ToDto(EnrollmentToken t) =>
        new(t.Id, t.Name, t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.MaxUses, t.Uses, t.RevokedAt is not null, t.Labels);
}
