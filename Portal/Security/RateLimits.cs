using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Configuration;

namespace Portal.Security;

/// <summary>
/// Rate limits on what attackers hammer: sign-in (per client address), enrollment (per address), token creation and
/// model uploads (per user). A refused request gets 429 with Retry-After and a problem detail saying when to retry.
/// </summary>
internal static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Enrollment = "enrollment";
    public const string TokenCreation = "token-creation";
    public const string Uploads = "uploads";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignIn, context => PerMinute("ip:" + Address(context), limits.SignInPerMinute));
            options.AddPolicy(Enrollment, context => PerMinute("ip:" + Address(context), limits.EnrollmentPerMinute));
            options.AddPolicy(TokenCreation, context => PerMinute("user:" + User(context), limits.TokenCreationPerMinute));
            options.AddPolicy(Uploads, context => PerMinute("user:" + User(context), limits.UploadsPerMinute));
            // The browser sign-in form posts to a page, not an endpoint of ours: limit it here, like the API's.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/Account/Login", StringComparison.OrdinalIgnoreCase)
                    ? PerMinute("form-ip:" + Address(context), limits.SignInPerMinute)
                    : RateLimitPartition.GetNoLimiter("none"));
            options.OnRejected = async (rejected, ct) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : 60;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem($"Too many requests: try again in {seconds} seconds.", statusCode: StatusCodes.Status429TooManyRequests, title: "Slow down")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string User(HttpContext context) => context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? Address(context);
}
