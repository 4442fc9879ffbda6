using Microsoft.AspNetCore.Components.Authorization;

namespace Portal.Components.Shared;

/// <summary>The signed-in user's name, as services record it ("certified by", "created by").</summary>
public static class CurrentUser
{
    public static async Task<string> NameAsync(Task<AuthenticationState>? state) =>
        state is null ? "unknown" : (await state).User.Identity?.Name ?? "unknown";
}
