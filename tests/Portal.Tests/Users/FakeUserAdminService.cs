using Portal.Features.Audit;
using Portal.Features.Users;
using Portal.Shared.Users;

namespace Portal.Tests.Users;

/// <summary>An in-memory user directory that records what the page asked it to do.</summary>
internal sealed class FakeUserAdminService : IUserAdminService
{
    public List<UserDto> Users { get; } = [];

    public List<string> Deleted { get; } = [];

    public Task<IReadOnlyList<UserDto>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<UserDto>>(Users.ToList());

    public Task<UserDto?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Users.FirstOrDefault(u => u.Id == id));

    public Task<UserAdminResult> CreateAsync(CreateUserRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var user = new UserDto(Guid.NewGuid().ToString(), request.Email, request.Roles, false, null, null, DateTimeOffset.UtcNow);
        Users.Add(user);
        return Task.FromResult(UserAdminResult.Ok(user));
    }

    public Task<UserAdminResult> UpdateAsync(string id, UpdateUserRequest request, string actingUserId, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(UserAdminResult.Ok(Users.First(u => u.Id == id)));

    public Task<UserAdminResult> ResetPasswordAsync(string id, string newPassword, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(UserAdminResult.Ok());

    public Task<UserAdminResult> DeleteAsync(string id, string actingUserId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        Deleted.Add(id);
        Users.RemoveAll(u => u.Id == id);
        return Task.FromResult(UserAdminResult.Ok());
    }
}
