using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Shared.Audit;
using Portal.Shared.Routes;

namespace Portal.Features.Audit;

public sealed partial class AuditPage
{
    private MudDataGrid<AuditEntryDto> grid = default!;
    private AuditFilter filter = new();
    private DateTime? fromDate;
    private DateTime? toDate;
    private string summary = "";

    [Inject]
    private AuditQuery Audit { get; set; } = default!;

    private bool IsFiltered => filter != new AuditFilter();

    /// <summary>The CSV endpoint with the filters on screen; the browser's sign-in cookie authorizes the download.</summary>
    private string CsvUrl
    {
        get
        {
            var query = new List<string>();
            void Add(string name, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }

            Add("actor", filter.Actor);
            Add("action", filter.Action);
            Add("target", filter.Target);
            Add("outcome", filter.Outcome);
            Add("from", filter.From?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            Add("to", filter.To?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            return query.Count == 0 ? ApiRoutes.AuditCsv : $"{ApiRoutes.AuditCsv}?{string.Join('&', query)}";
        }
    }

    private async Task<GridData<AuditEntryDto>> LoadAsync(GridState<AuditEntryDto> state, CancellationToken cancellationToken)
    {
        var page = await Audit.PageAsync(filter, state.Page + 1, state.PageSize, cancellationToken);
        summary = page.Total == 1 ? "1 entry" : $"{page.Total:N0} entries";
        return new GridData<AuditEntryDto> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task SetAsync(AuditFilter changed)
    {
        filter = changed;
        // The export link and the Clear button live outside the grid.
        StateHasChanged();
        await grid.ReloadServerData();
    }

    private Task FromChangedAsync(DateTime? date)
    {
        fromDate = date;
        return SetAsync(filter with { From = date is { } d ? new DateTimeOffset(d.Date, TimeSpan.Zero) : null });
    }

    /// <summary>The "to" day is included: the filter ends at the start of the next day.</summary>
    private Task ToChangedAsync(DateTime? date)
    {
        toDate = date;
        return SetAsync(filter with { To = date is { } d ? new DateTimeOffset(d.Date.AddDays(1), TimeSpan.Zero) : null });
    }

    private Task ClearAsync()
    {
        (fromDate, toDate) = (null, null);
        return SetAsync(new AuditFilter());
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static Color OutcomeColor(string outcome) => outcome switch
    {
        AuditOutcomes.Success => Color.Success,
        AuditOutcomes.Denied => Color.Warning,
        _ => Color.Error,
    };

    /// <summary>GUID ids shortened to their first 8 characters (the full one is in the tooltip and the export); readable ids stay whole.</summary>
    private static string ShortTarget(string target)
    {
        var colon = target.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && Guid.TryParse(target.AsSpan(colon + 1), out _) ? $"{target[..(colon + 9)]}…" : target;
    }
}
