using Portal.Shared.Users;

namespace Portal.Features.Users;

/// <summary>User administration, shared by the Users page and <c>/api/v1/users</c>. Every call names the acting admin.</summary>
public interface IUserAdminService
{
    Task<IReadOnlyList<UserDto>> ListAsync(CancellationToken cancellationToken = default);

    Task<UserDto?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<UserAdminResult> CreateAsync(CreateUserRequest request, CancellationToken cancellationToken = default);

    Task<UserAdminResult> UpdateAsync(string id, UpdateUserRequest request, string actingUserId, CancellationToken cancellationToken = default);

    Task<UserAdminResult> ResetPasswordAsync(string id, string newPassword, CancellationToken cancellationToken = default);

    Task<UserAdminResult> DeleteAsync(string id, string actingUserId, CancellationToken cancellationToken = default);
}
