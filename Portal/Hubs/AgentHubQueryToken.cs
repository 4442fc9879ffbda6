using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Shared.Routes;

namespace Portal.Hubs;

/// <summary>
/// SignalR clients that cannot set headers on a WebSocket (browsers, several other-language clients) send the device
/// secret as <c>?access_token=</c>. On the agent hub's route only, it is moved into the <c>Authorization</c> header
/// before the request exists for anyone else: the device scheme reads it there, and no log (the host's "Request
/// starting" line, HTTP logging, SignalR's) ever sees it in the URL. A header the client did set wins.
/// </summary>
internal sealed class AgentHubQueryToken(IServiceProvider services) : IHttpContextFactory
{
    public const string QueryKey = "access_token";

    private readonly DefaultHttpContextFactory inner = new(services);

    public HttpContext Create(IFeatureCollection featureCollection)
    {
        if (featureCollection.Get<IHttpRequestFeature>() is { } request)
        {
            MoveToHeader(request);
        }

        return inner.Create(featureCollection);
    }

    public void Dispose(HttpContext httpContext) => inner.Dispose(httpContext);

    public static void MoveToHeader(IHttpRequestFeature request)
    {
        if (!request.QueryString.Contains(QueryKey, StringComparison.OrdinalIgnoreCase)
            || !new PathString(request.Path).StartsWithSegments(ApiRoutes.AgentHub, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var query = QueryHelpers.ParseQuery(request.QueryString);
        if (!query.Remove(QueryKey, out var token))
        {
            return;
        }

        if (string.IsNullOrEmpty(request.Headers.Authorization) && !string.IsNullOrEmpty(token.ToString()))
        {
            request.Headers.Authorization = "Bearer " + token;
        }

        var rest = new QueryBuilder(query.SelectMany(kv => kv.Value.Select(v => KeyValuePair.Create(kv.Key, v ?? "")))).ToQueryString();
        request.QueryString = rest.Value ?? "";
        request.RawTarget = request.PathBase + request.Path + request.QueryString;
    }
}
