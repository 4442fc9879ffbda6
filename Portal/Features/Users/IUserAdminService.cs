using Portal.Features.Audit;
using Portal.Shared.Users;

namespace Portal.Features.Users;

/// <summary>User administration, shared by the Users page and <c>/api/v1/users</c>. Every change names the acting admin, who is audited.</summary>
public interface IUserAdminService
{
    Task<IReadOnlyList<UserDto>> ListAsync(CancellationToken cancellationToken = default);

    Task<UserDto?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<UserAdminResult> CreateAsync(CreateUserRequest request, AuditActor actor, CancellationToken cancellationToken = default);

    Task<UserAdminResult> UpdateAsync(string id, UpdateUserRequest request, string actingUserId, AuditActor actor, CancellationToken cancellationToken = default);

    Task<UserAdminResult> ResetPasswordAsync(string id, string newPassword, AuditActor actor, CancellationToken cancellationToken = default);

    Task<UserAdminResult> DeleteAsync(string id, string actingUserId, AuditActor actor, CancellationToken cancellationToken = default);
}
