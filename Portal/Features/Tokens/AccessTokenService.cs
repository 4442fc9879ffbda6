using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Security;
using Portal.Shared.Tokens;

namespace Portal.Features.Tokens;

/// <summary>
/// Personal access tokens: created with a name, an expiry and a role no higher than the owner's, shown once, stored
/// as a SHA-256 hash, listed with their last use, revocable by their owner or an admin.
/// </summary>
public sealed class AccessTokenService(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditLog audit,
    TimeProvider clock)
{
    public const string SecretPrefix = PortalAuthSchemes.AccessTokenSecretPrefix;
    public const int MaxDays = 365;
    public const int MaxTokensPerUser = 50;

    /// <summary>Roles from most to least privileged: a token may have its owner's role or any below it.</summary>
    public static IReadOnlyList<string> RolesUpTo(string role) => PortalRoles.All.SkipWhile(r => r != role).ToList();

    public async Task<IReadOnlyList<AccessTokenDto>> ListAsync(string userId, bool everyone, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tokens = await db.AccessTokens.AsNoTracking().Where(t => everyone || t.UserId == userId).OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        var ids = tokens.Select(t => t.UserId).Distinct().ToList();
        var emails = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.UserName ?? u.Id, ct);
        return tokens.Select(t => ToDto(t, emails.GetValueOrDefault(t.UserId) ?? "deleted user")).ToList();
    }

    public async Task<OperationResult<CreatedAccessToken>> CreateAsync(string userId, CreateAccessTokenRequest? request, AuditActor actor, CancellationToken ct)
    {
        static OperationResult<CreatedAccessToken> Invalid(string problem) => OperationResult<CreatedAccessToken>.Fail(OperationOutcome.Invalid, problem);

        if (request is null || string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 100)
        {
            return Invalid("Give the token a name of 1 to 100 characters, saying what uses it (\"nightly model upload\").");
        }

        if (PlainText.Problem(request.Name, "token name") is { } text)
        {
            return Invalid(text);
        }

        if (request.ExpiresInDays is < 1 or > MaxDays)
        {
            return Invalid($"A token lives between 1 and {MaxDays} days.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return OperationResult<CreatedAccessToken>.Fail(OperationOutcome.NotFound, "There is no such user.");
        }

        var own = await RoleOfAsync(db, userId, ct);
        if (own is null)
        {
            return OperationResult<CreatedAccessToken>.Fail(OperationOutcome.Conflict, "Users without a role cannot create tokens.");
        }

        var role = string.IsNullOrWhiteSpace(request.Role) ? own : request.Role.Trim();
        if (!PortalRoles.IsKnown(role))
        {
            return Invalid($"The role must be one of {string.Join(", ", RolesUpTo(own))}.");
        }

        if (!RolesUpTo(own).Contains(role))
        {
            return OperationResult<CreatedAccessToken>.Fail(OperationOutcome.Conflict, $"A token cannot have more rights than its owner: as {own} you may give it {string.Join(", ", RolesUpTo(own))}.");
        }

        var now = clock.GetUtcNow();
        if (await db.AccessTokens.CountAsync(t => t.UserId == userId && t.RevokedAt == null && t.ExpiresAt > now, ct) >= MaxTokensPerUser)
        {
            return OperationResult<CreatedAccessToken>.Fail(OperationOutcome.Conflict, $"You have {MaxTokensPerUser} active tokens; revoke some first.");
        }

        var secret = SecretTokens.Generate(SecretPrefix);
        var token = new PersonalAccessToken
        {
            UserId = userId, Name = request.Name.Trim(), Role = role, Prefix = secret[..12], SecretHash = SecretTokens.Hash(secret),
            CreatedAt = now, ExpiresAt = now.AddDays(request.ExpiresInDays),
        };
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, AuditActions.TokenCreated, $"token:{token.Id}", token.Name, detail: $"role {role}, expires {token.ExpiresAt:yyyy-MM-dd}", ct: ct);
        return OperationResult<CreatedAccessToken>.Ok(new CreatedAccessToken(ToDto(token, user.Email ?? user.UserName ?? userId), secret));
    }

    /// <summary>Revokes a token of the caller's own, or anyone's for an admin.</summary>
    public async Task<OperationResult<bool>> RevokeAsync(string userId, bool isAdmin, string id, AuditActor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.AccessTokens.FirstOrDefaultAsync(t => t.Id == id && (isAdmin || t.UserId == userId), ct);
        if (token is null)
        {
            return OperationResult<bool>.Fail(OperationOutcome.NotFound, "There is no such token.");
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(actor, AuditActions.TokenRevoked, $"token:{token.Id}", token.Name, ct: ct);
        }

        return OperationResult<bool>.Ok(true);
    }

    /// <summary>The most privileged portal role a user holds now, or null.</summary>
    public static async Task<string?> RoleOfAsync(PortalDbContext db, string userId, CancellationToken ct)
    {
        var names = await (from userRole in db.UserRoles
                           join role in db.Roles on userRole.RoleId equals role.Id
                           where userRole.UserId == userId
                           select role.Name).ToListAsync(ct);
        return PortalRoles.All.FirstOrDefault(names.Contains);
    }

    private static AccessTokenDto ToDto(PersonalAccessToken t, string owner) =>
        new(t.Id, t.Name, t.Role, t.Prefix, owner, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.LastUsedIp, t.RevokedAt);
}
