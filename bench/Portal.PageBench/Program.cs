using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data;
using Portal.Features.Devices;
using Portal.Shared.Devices;
using Portal.Tests.Devices;

// dotnet run -c Release --project bench/Portal.PageBench -- [devices] [circuits]
// The Devices page over a real SQLite fleet of N devices, rendered by bUnit's renderer (the same Razor render tree
// and diffing a Blazor Server circuit uses, without the SignalR transport).
var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var circuits = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
const int Runs = 30;

await using var ctx = new BunitContext();
ctx.AddDevicePageServices();
Seed(ctx, devices);
Console.WriteLine($"Devices page, {devices:N0} devices in SQLite, {Environment.ProcessorCount} CPUs, .NET {Environment.Version}, {Runs} runs each");

// Baseline: the same MudDataGrid with the same 25 rows already in memory (no query, no services).
var rows = (await ctx.Services.GetRequiredService<DeviceService>().QueryAsync(new DeviceQuery(0, 25, "", null, nameof(DeviceDto.Name), false, "", null))).Items;
var baseline = Time(() =>
{
    var grid = ctx.Render<MudDataGrid<DeviceDto>>(p => p.Add(g => g.Items, rows).Add(g => g.RowsPerPage, 25)
        .Add(g => g.Columns, (Microsoft.AspNetCore.Components.RenderFragment)(b =>
        {
            b.OpenComponent<PropertyColumn<DeviceDto, string>>(0);
            b.AddAttribute(1, "Property", (System.Linq.Expressions.Expression<Func<DeviceDto, string>>)(d => d.Name));
            b.CloseComponent();
            b.OpenComponent<PropertyColumn<DeviceDto, DeviceStatus>>(2);
            b.AddAttribute(3, "Property", (System.Linq.Expressions.Expression<Func<DeviceDto, DeviceStatus>>)(d => d.Status));
            b.CloseComponent();
        })));
    grid.WaitForState(() => grid.Instance.FilteredItems.Count() == 25, TimeSpan.FromSeconds(30));
    grid.Dispose();
});

// What the page's data costs without rendering: the first page's query and the fleet counts.
var service = ctx.Services.GetRequiredService<DeviceService>();
var queryOnly = Time(() =>
{
    service.QueryAsync(new DeviceQuery(0, 25, "", null, nameof(DeviceDto.Name), false, "", null)).GetAwaiter().GetResult();
    service.CountsAsync().GetAwaiter().GetResult();
});

// 1. First render of the real page: query of the first page, counts, grid, status chips, menus.
// Waiting on the grid's own state, not on markup: parsing the markup into a DOM is bUnit's cost, not the server's.
var gridField = typeof(DevicesPage).GetField("grid", BindingFlags.NonPublic | BindingFlags.Instance)!;
var first = Time(() =>
{
    var page = ctx.Render<DevicesPage>();
    page.WaitForState(() => gridField.GetValue(page.Instance) is MudDataGrid<DeviceDto> g && g.FilteredItems.Count() == 25, TimeSpan.FromSeconds(30));
    page.Dispose();
});

// Where the first render's time goes: the synchronous first pass, then the grid's server-data load and re-render.
{
    var watch = Stopwatch.StartNew();
    var page = ctx.Render<DevicesPage>();
    var firstPass = watch.Elapsed.TotalMilliseconds;
    page.WaitForState(() => gridField.GetValue(page.Instance) is MudDataGrid<DeviceDto> g && g.FilteredItems.Count() == 25, TimeSpan.FromSeconds(30));
    Console.WriteLine($"(one render: first pass {firstPass:0.0} ms, loaded after {watch.Elapsed.TotalMilliseconds:0.0} ms, {page.RenderCount} renders)");
    page.Dispose();
}

// 2. 1,000 devices change status (they come online): the page coalesces the events into one reload a second;
// timed is that reload (query + re-render), not the deliberate one-second wait before it.
var live = ctx.Render<DevicesPage>();
live.WaitForState(() => live.FindAll(".device-status").Count == 25, TimeSpan.FromSeconds(30));
var events = ctx.Services.GetRequiredService<DeviceEvents>();
var ids = DeviceIds(ctx, 1000);
var rendersBefore = live.RenderCount;
var changing = Stopwatch.StartNew();
foreach (var id in ids)
{
    ctx.Connect(id);
    events.Publish(new DeviceEvent(id, id, DeviceStatus.Online, "came online", DateTimeOffset.UtcNow));
}

live.WaitForState(() => live.Find("#devices-summary").TextContent.Contains("1,000 online", StringComparison.Ordinal)
    || live.Find("#devices-summary").TextContent.Contains("1000 online", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
var rendersForThousand = live.RenderCount - rendersBefore;
var changeSeconds = changing.Elapsed.TotalSeconds;
var grid = (MudDataGrid<DeviceDto>)typeof(DevicesPage).GetField("grid", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(live.Instance)!;
var reload = Time(() => live.InvokeAsync(grid.ReloadServerData).GetAwaiter().GetResult());

// 3. Memory per open page: N more pages open at once (as N circuits would hold them), managed heap after a full GC.
live.Dispose();
var before = Heap();
var open = Enumerable.Range(0, circuits).Select(_ =>
{
    var page = ctx.Render<DevicesPage>();
    page.WaitForState(() => gridField.GetValue(page.Instance) is MudDataGrid<DeviceDto> g && g.FilteredItems.Count() == 25, TimeSpan.FromSeconds(30));
    return page;
}).ToList();
var perPage = (Heap() - before) / circuits;
var baselineBefore = Heap();
var openGrids = Enumerable.Range(0, circuits).Select(_ => ctx.Render<MudDataGrid<DeviceDto>>(p => p.Add(g => g.Items, rows).Add(g => g.RowsPerPage, 25))).ToList();
var perGrid = (Heap() - baselineBefore) / circuits;
GC.KeepAlive(open);
GC.KeepAlive(openGrids);

Console.WriteLine();
Console.WriteLine("| figure | median ms | p95 ms | baseline (bare grid, rows in memory) median ms | ratio | target |");
Console.WriteLine("|---|---:|---:|---:|---:|---|");
Row("first page's query + fleet counts only (no rendering)", queryOnly, baseline, "—");
Row("first render of page 1 (25 rows)", first, baseline, "≤ 50 ms");
Row("re-render after 1,000 status changes", reload, baseline, "≤ 20 ms");
Console.WriteLine();
Console.WriteLine($"1,000 status changes, published over {changeSeconds:0.0} s, caused {rendersForThousand} renders of the page (reloads are coalesced to at most one a second; each reload renders the grid's loading and loaded states).");
Console.WriteLine($"Managed memory per open Devices page: {perPage / 1024.0:0.0} KB ({circuits} pages open); bare grid with the same rows: {perGrid / 1024.0:0.0} KB; ratio {(double)perPage / Math.Max(1, perGrid):0.0}×; target ≤ 1 MB per circuit.");
return 0;

static void Row(string name, double[] ms, double[] baseline, string target) =>
    Console.WriteLine($"| {name} | {Median(ms):0.0} | {P95(ms):0.0} | {Median(baseline):0.0} | {Median(ms) / Median(baseline):0.0}× | {target} |");

static double Median(double[] xs) => xs.Order().ElementAt(xs.Length / 2);

static double P95(double[] xs) => xs.Order().ElementAt(Math.Min(xs.Length - 1, (int)Math.Ceiling(xs.Length * 0.95) - 1));

static double[] Time(Action action)
{
    for (var i = 0; i < 3; i++)
    {
        action();
    }

    return Enumerable.Range(0, Runs).Select(_ =>
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }).ToArray();
}

static long Heap()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(true);
}

static void Seed(BunitContext ctx, int count)
{
    using var db = ctx.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
    var now = DateTimeOffset.UtcNow;
    db.ChangeTracker.AutoDetectChangesEnabled = false;
    for (var i = 0; i < count; i++)
    {
        db.Devices.Add(new Device
        {
            Id = $"dev{i:D5}", Name = $"site-{i % 40:D2}-press-{i:D5}", SecretHash = new string('0', 64), EnrolledAt = now.AddMinutes(-i),
            Labels = new Dictionary<string, string> { ["site"] = $"site-{i % 40:D2}", ["line"] = (i % 7).ToString(CultureInfo.InvariantCulture) },
        });
    }

    db.SaveChanges();
}

static List<string> DeviceIds(BunitContext ctx, int count)
{
    using var db = ctx.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
    return db.Devices.OrderBy(d => d.Name).Select(d => d.Id).Take(count).ToList();
}
