using System.Globalization;
using System.Text;
using Portal.Shared.Audit;

namespace Portal.Features.Audit;

/// <summary>
/// Audit entries as RFC 4180 CSV (CRLF lines, fields with commas, quotes or line breaks quoted, quotes doubled). A cell
/// that starts with = + - @ (or a tab or carriage return) gets a leading single quote, so a spreadsheet shows it as
/// text instead of running it as a formula: names and details are typed by users and devices.
/// </summary>
public static class AuditCsv
{
    public const string Header = "time_utc,outcome,actor_kind,actor,actor_id,action,target,target_name,source_ip,detail\r\n";

    public static string Line(AuditEntryDto e)
    {
        var line = new StringBuilder();
        string?[] cells =
        [
            e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            e.Outcome, e.ActorKind, e.ActorName, e.ActorId, e.Action, e.Target, e.TargetName, e.SourceIp, e.Detail,
        ];
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(Cell(cells[i]));
        }

        return line.Append("\r\n").ToString();
    }

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
