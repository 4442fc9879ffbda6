using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Common;
using Portal.Features.Groups;
using Portal.Features.Telemetry;
using Portal.Shared.Devices;
using Portal.Shared.Telemetry;

namespace Portal.Features.Devices;

public sealed partial class DeviceDetailsPage
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private readonly List<TelemetrySample> samples = [];
    private DeviceDto? device;
    private IReadOnlyList<GroupDto> groups = [];
    private IReadOnlyList<DeviceEvent> history = [];
    private bool loading = true;
    private List<ChartSeries<double>> series = [];
    private string[] labels = [];
    private IDisposable? telemetrySubscription;
    private IDisposable? deviceSubscription;

    [Parameter]
    public string Id { get; set; } = "";

    [Inject]
    private DeviceService Devices { get; set; } = default!;

    [Inject]
    private TelemetryService Telemetry { get; set; } = default!;

    [Inject]
    private Notifier<TelemetryReceived> TelemetryEvents { get; set; } = default!;

    [Inject]
    private DeviceEvents Events { get; set; } = default!;

    [Inject]
    private GroupService Groups { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        device = await Devices.GetAsync(Id);
        groups = await Groups.GroupsOfAsync(Id);
        history = device is null ? [] : await Events.HistoryAsync(Id, device.Name, 10);
        var now = DateTimeOffset.UtcNow;
        samples.Clear();
        samples.AddRange(await Telemetry.RangeAsync(Id, now - Window, now));
        BuildChart();
        loading = false;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        telemetrySubscription = TelemetryEvents.Subscribe(received => received.DeviceId == Id ? OnSamplesAsync(received.Samples) : Task.CompletedTask);
        deviceSubscription = Events.Subscribe(async e =>
        {
            if (e.DeviceId == Id)
            {
                device = await Devices.GetAsync(Id);
                groups = await Groups.GroupsOfAsync(Id);
                history = device is null ? [] : await Events.HistoryAsync(Id, device.Name, 10);
                await InvokeAsync(StateHasChanged);
            }
        });
    }

    private Task OnSamplesAsync(IReadOnlyList<TelemetrySample> arrived) => InvokeAsync(() =>
    {
        samples.AddRange(arrived);
        samples.RemoveAll(s => s.At < DateTimeOffset.UtcNow - Window);
        BuildChart();
        StateHasChanged();
    });

    private async Task EditLabelsAsync()
    {
        var dialog = await Dialogs.ShowAsync<LabelsDialog>("Labels", new DialogParameters<LabelsDialog> { { d => d.Device, device! } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, DefaultFocus = DefaultFocus.None });
        if (await dialog.Result is { Canceled: false })
        {
            device = await Devices.GetAsync(Id);
            groups = await Groups.GroupsOfAsync(Id);
        }
    }

    private void BuildChart()
    {
        // At most 90 points: a 15-minute line does not need every 5-second sample to show its shape.
        var step = Math.Max(1, samples.Count / 90);
        var points = samples.Where((_, i) => i % step == 0 || i == samples.Count - 1).ToList();
        labels = points.Select((s, i) => i % Math.Max(1, points.Count / 6) == 0 ? s.At.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture) : "").ToArray();
        series =
        [
            new ChartSeries<double> { Name = "CPU %", Data = points.Select(s => s.CpuPercent).ToArray() },
            new ChartSeries<double> { Name = "Memory %", Data = points.Select(s => (double)Percent(s.MemoryUsedBytes, s.MemoryTotalBytes)).ToArray() },
            new ChartSeries<double> { Name = "Disk %", Data = points.Select(s => (double)Percent(s.DiskUsedBytes, s.DiskTotalBytes)).ToArray() },
        ];
    }

    private static int Percent(long used, long total) => total <= 0 ? 0 : (int)Math.Round(100.0 * used / total);

    public void Dispose()
    {
        telemetrySubscription?.Dispose();
        deviceSubscription?.Dispose();
    }
}
