using System.Globalization;

namespace Portal.Features.Audit;

/// <summary>
/// What to look for in the audit log. Text filters match parts of a name, case-insensitively; <see cref="From"/> is
/// inclusive and <see cref="To"/> exclusive.
/// </summary>
public sealed record AuditFilter(
    string? Actor = null,
    string? Action = null,
    string? Target = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Outcome = null)
{
    public const int MaxPageSize = 500;

    private static readonly string[] Outcomes = [AuditOutcomes.Success, AuditOutcomes.Failure, AuditOutcomes.Denied];

    /// <summary>Reads the query string of <c>/api/v1/audit</c>; the problem is a sentence for the caller when a value is wrong.</summary>
    public static (AuditFilter? Filter, string? Problem) Parse(string? actor, string? action, string? target, string? from, string? to, string? outcome)
    {
        if (!TryTime(from, out var start))
        {
            return (null, $"'from' must be a date or time in ISO 8601, such as 2026-01-31 or 2026-01-31T08:00:00Z; '{from}' is not.");
        }

        if (!TryTime(to, out var end))
        {
            return (null, $"'to' must be a date or time in ISO 8601, such as 2026-01-31 or 2026-01-31T18:00:00Z; '{to}' is not.");
        }

        if (start > end)
        {
            return (null, "'from' must be before 'to'.");
        }

        string? knownOutcome = null;
        if (!string.IsNullOrWhiteSpace(outcome))
        {
            knownOutcome = Outcomes.FirstOrDefault(o => o.Equals(outcome.Trim(), StringComparison.OrdinalIgnoreCase));
            if (knownOutcome is null)
            {
                return (null, $"'outcome' must be {string.Join(", ", Outcomes)}; '{outcome}' is not.");
            }
        }

        string? knownAction = null;
        if (!string.IsNullOrWhiteSpace(action))
        {
            knownAction = AuditActions.All.FirstOrDefault(a => a.Equals(action.Trim(), StringComparison.OrdinalIgnoreCase));
            if (knownAction is null)
            {
                return (null, $"There is no audit action '{action}'. Actions: {string.Join(", ", AuditActions.All)}.");
            }
        }

        return (new AuditFilter(Blank(actor), knownAction, Blank(target), start, end, knownOutcome), null);
    }

    /// <summary>A paging problem as a sentence, or null.</summary>
    public static string? PagingProblem(int page, int pageSize) =>
        page < 1 ? "'page' counts from 1."
        : pageSize is < 1 or > MaxPageSize ? $"'pageSize' must be between 1 and {MaxPageSize}."
        : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        // A time without an offset is UTC: the log is kept in UTC and scripts rarely mean the server's zone.
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
