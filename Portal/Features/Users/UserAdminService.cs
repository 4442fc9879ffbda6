using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Security;
using Portal.Shared.Users;

namespace Portal.Features.Users;

/// <summary>
/// User administration over Identity. Each call opens its own scope (a circuit lives for hours, a DbContext should not),
/// and changes that could remove the last admin are serialized so two admins cannot demote each other at once.
/// </summary>
internal sealed class UserAdminService(IServiceScopeFactory scopes, TimeProvider clock, AuditLog audit) : IUserAdminService
{
    private static readonly SemaphoreSlim AdminChanges = new(1, 1);

    public async Task<IReadOnlyList<UserDto>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await UserDirectory.ListAsync(db, clock.GetUtcNow(), null, cancellationToken);
    }

    public async Task<UserDto?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var found = await UserDirectory.ListAsync(db, clock.GetUtcNow(), id, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<UserAdminResult> CreateAsync(CreateUserRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var email = request.Email?.Trim() ?? "";
        if (!new EmailAddressAttribute().IsValid(email) || email.Length == 0)
        {
            return UserAdminResult.Invalid("Enter a valid email address.");
        }

        if (Common.PlainText.Problem(email, "email address") is { } text)
        {
            return UserAdminResult.Invalid(text);
        }

        if (RolesError(request.Roles) is { } rolesError)
        {
            return UserAdminResult.Invalid(rolesError);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return UserAdminResult.Conflict($"A user with the email {email} already exists.");
        }

        // One transaction: a user whose roles could not be set is never left behind.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, request.Password ?? "");
        if (!created.Succeeded)
        {
            return IdentityError(created);
        }

        var added = await users.AddToRolesAsync(user, request.Roles.Distinct());
        if (!added.Succeeded)
        {
            return IdentityError(added);
        }

        await transaction.CommitAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.UserCreated, AuditTargets.User(user.Id), email,
            detail: $"roles {string.Join(", ", request.Roles.Distinct())}", ct: cancellationToken);
        return UserAdminResult.Ok(await GetAsync(user.Id, cancellationToken));
    }

    public async Task<UserAdminResult> UpdateAsync(string id, UpdateUserRequest request, string actingUserId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (request.Roles is not null && RolesError(request.Roles) is { } rolesError)
        {
            return UserAdminResult.Invalid(rolesError);
        }

        await AdminChanges.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            if (await ActingAdminProblemAsync(users, actingUserId) is { } actorProblem)
            {
                return actorProblem;
            }

            var user = await users.FindByIdAsync(id);
            if (user is null)
            {
                return UserAdminResult.NotFound();
            }

            var current = await users.GetRolesAsync(user);
            var now = clock.GetUtcNow();
            var isActiveAdmin = current.Contains(PortalRoles.Admin) && !(user.LockoutEnd > now);
            var losesAdmin = request.Roles is not null && !request.Roles.Contains(PortalRoles.Admin);
            var getsLocked = request.Locked == true;
            if (getsLocked && id == actingUserId)
            {
                return UserAdminResult.Conflict("You can't lock your own account.");
            }

            if (isActiveAdmin && (losesAdmin || getsLocked) && await UserDirectory.CountActiveAdminsAsync(db, now, cancellationToken) <= 1)
            {
                return UserAdminResult.Conflict(
                    $"{user.Email} is the last admin, so they can't be {(getsLocked ? "locked" : "demoted")}. Make another user an admin first.");
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (request.Roles is not null && await SetRolesAsync(users, user, current, request.Roles) is { } roleFailure)
            {
                return roleFailure;
            }

            if (request.Locked is { } locked)
            {
                user.LockoutEnabled = true;
                user.LockoutEnd = locked ? DateTimeOffset.MaxValue : null;
                user.AccessFailedCount = 0;
                // An unlock also lifts the locks of single source addresses (Portal.Security.SignInLockout).
                scope.ServiceProvider.GetRequiredService<Portal.Security.SignInLockout>().Clear(user.Id);
            }

            // One checked save of the lock and a new security stamp: the user is signed out of open browsers and their
            // API tokens stop working, or nothing changes at all.
            var saved = await users.UpdateSecurityStampAsync(user);
            if (!saved.Succeeded)
            {
                return IdentityError(saved);
            }

            await transaction.CommitAsync(cancellationToken);
            if (request.Roles is not null)
            {
                await audit.RecordAsync(actor, AuditActions.UserRoleChanged, AuditTargets.User(id), user.Email,
                    detail: $"{Roles(current)} → {Roles(request.Roles.Distinct())}", ct: cancellationToken);
            }

            if (request.Locked is { } lockedNow)
            {
                await audit.RecordAsync(actor, lockedNow ? AuditActions.UserLocked : AuditActions.UserUnlocked, AuditTargets.User(id), user.Email, ct: cancellationToken);
            }

            return UserAdminResult.Ok(await GetAsync(id, cancellationToken));
        }
        finally
        {
            AdminChanges.Release();
        }
    }

    public async Task<UserAdminResult> ResetPasswordAsync(string id, string newPassword, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return UserAdminResult.NotFound();
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, newPassword ?? "");
        if (!reset.Succeeded)
        {
            return IdentityError(reset);
        }

        await audit.RecordAsync(actor, AuditActions.UserPasswordReset, AuditTargets.User(id), user.Email, ct: cancellationToken);
        return UserAdminResult.Ok(await GetAsync(id, cancellationToken));
    }

    public async Task<UserAdminResult> DeleteAsync(string id, string actingUserId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await AdminChanges.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            if (await ActingAdminProblemAsync(users, actingUserId) is { } actorProblem)
            {
                return actorProblem;
            }

            var user = await users.FindByIdAsync(id);
            if (user is null)
            {
                return UserAdminResult.NotFound();
            }

            var now = clock.GetUtcNow();
            if (await users.IsInRoleAsync(user, PortalRoles.Admin) && !(user.LockoutEnd > now)
                && await UserDirectory.CountActiveAdminsAsync(db, now, cancellationToken) <= 1)
            {
                return UserAdminResult.Conflict($"{user.Email} is the last admin and can't be deleted. Make another user an admin first.");
            }

            if (id == actingUserId)
            {
                return UserAdminResult.Conflict("You can't delete your own account. Ask another admin.");
            }

            var deleted = await users.DeleteAsync(user);
            if (!deleted.Succeeded)
            {
                return IdentityError(deleted);
            }

            await audit.RecordAsync(actor, AuditActions.UserDeleted, AuditTargets.User(id), user.Email, ct: cancellationToken);
            return UserAdminResult.Ok();
        }
        finally
        {
            AdminChanges.Release();
        }
    }

    private static async Task<UserAdminResult?> SetRolesAsync(UserManager<PortalUser> users, PortalUser user, IList<string> current, IReadOnlyList<string> wanted)
    {
        var removed = await users.RemoveFromRolesAsync(user, current.Except(wanted));
        if (!removed.Succeeded)
        {
            return IdentityError(removed);
        }

        var added = await users.AddToRolesAsync(user, wanted.Distinct().Except(current));
        return added.Succeeded ? null : IdentityError(added);
    }

    /// <summary>
    /// The page or token that asks may be up to a minute old: the acting admin must still be an unlocked admin now.
    /// An empty id is the system itself (start-up, tests of the rules).
    /// </summary>
    private async Task<UserAdminResult?> ActingAdminProblemAsync(UserManager<PortalUser> users, string actingUserId)
    {
        if (actingUserId.Length == 0)
        {
            return null;
        }

        var actor = await users.FindByIdAsync(actingUserId);
        return actor is null || actor.LockoutEnd > clock.GetUtcNow() || !await users.IsInRoleAsync(actor, PortalRoles.Admin)
            ? UserAdminResult.Conflict("Your account is no longer an active admin, so this change was not made. Sign in again.")
            : null;
    }

    private static string Roles(IEnumerable<string> roles) => roles.Any() ? string.Join(", ", roles.Order(StringComparer.Ordinal)) : "no role";

    private static string? RolesError(IReadOnlyList<string>? roles)
    {
        if (roles is null || roles.Count == 0)
        {
            return $"Give the user a role: {string.Join(", ", PortalRoles.All)}.";
        }

        var unknown = roles.Where(r => !PortalRoles.IsKnown(r)).ToList();
        return unknown.Count == 0 ? null : $"Unknown role {string.Join(", ", unknown)}. Roles are {string.Join(", ", PortalRoles.All)}.";
    }

    private static UserAdminResult IdentityError(IdentityResult result) =>
        result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName")
            ? UserAdminResult.Conflict(string.Join(" ", result.Errors.Select(e => e.Description)))
            : UserAdminResult.Invalid(string.Join(" ", result.Errors.Select(e => e.Description)));
}
