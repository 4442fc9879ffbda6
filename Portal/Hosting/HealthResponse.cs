using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Hosting;

/// <summary>
/// <c>/readyz</c> answers <c>Healthy</c> as before, and otherwise which check failed and why (<c>Unhealthy</c>, then one
/// line per failed check, such as the data disk's free space), so an operator does not have to read the logs.
/// </summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = new StringBuilder(report.Status.ToString());
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
        {
            text.Append('\n').Append(name).Append(": ").Append(entry.Status).Append(entry.Description is { } why ? " - " + why : "");
        }

        return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }
}
