using Microsoft.AspNetCore.Identity.Data;
using Portal.Common;

namespace Portal.Security;

/// <summary>
/// Identity's API endpoints take e-mails as they come; one with a NUL broke PostgreSQL (500) and one with a line break
/// or a direction override would forge the audit log. Refused here with a problem, before Identity looks anything up.
/// </summary>
internal sealed class AuthTextFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            var problem = argument switch
            {
                LoginRequest login => PlainText.Problem(login.Email, "email"),
                InfoRequest info => PlainText.Problem(info.NewEmail, "new email"),
                _ => null,
            };
            if (problem is not null)
            {
                return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");
            }
        }

        return await next(context);
    }
}
