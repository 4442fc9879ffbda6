using Microsoft.AspNetCore.Components;

namespace Portal.Components.Account;

/// <summary>Redirects from statically rendered account pages, refusing open redirects to other hosts.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public void RedirectTo(string? uri)
    {
        uri ??= "";
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative) || uri.StartsWith("//", StringComparison.Ordinal) || uri.StartsWith("/\\", StringComparison.Ordinal))
        {
            // Only addresses inside the portal: anything else goes to the dashboard.
            var absolute = Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null;
            uri = absolute is not null && navigationManager.BaseUri.StartsWith(absolute.GetLeftPart(UriPartial.Authority) + "/", StringComparison.OrdinalIgnoreCase)
                ? navigationManager.ToBaseRelativePath(uri)
                : "";
        }

        navigationManager.NavigateTo(uri);
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        RedirectTo(navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters));
    }
}
