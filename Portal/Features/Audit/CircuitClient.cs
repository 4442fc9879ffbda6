using Microsoft.AspNetCore.Components.Authorization;

namespace Portal.Features.Audit;

/// <summary>
/// Who is behind a page: the signed-in user and the address their browser connected from. A circuit has no request,
/// so the address is taken from the HTTP request that served the page (<c>App.razor</c> hands it to <c>Routes</c>,
/// whose parameters are protected, so a browser cannot choose its own).
/// </summary>
public sealed class CircuitClient(AuthenticationStateProvider authentication)
{
    public string? Ip { get; set; }

    public async Task<AuditActor> ActorAsync() => AuditActor.From((await authentication.GetAuthenticationStateAsync()).User, Ip);
}
