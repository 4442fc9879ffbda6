using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Common;
using Portal.Components.Shared;
using Portal.Features.Devices;
using Portal.Features.Groups;
using Portal.Features.Telemetry;
using Portal.Shared.Devices;
using Portal.Shared.Telemetry;

namespace Portal.Features.DeviceDetails;

public sealed partial class DeviceDetailsPage
{
    private readonly List<TelemetrySample> samples = [];
    private IReadOnlyList<TelemetryAggregate> minutes = [];
    private TimeSpan window = TimeSpan.FromMinutes(15);
    private DeviceDto? device;
    private IReadOnlyList<GroupDto> groups = [];
    private IReadOnlyList<DeviceEvent> history = [];
    private bool loading = true;
    private List<ChartSeries<double>> series = [];
    private string[] labels = [];
    private IReadOnlyList<TelemetryChart> extraCharts = [];
    private int chartPoints;
    private KeyedSubscription? telemetrySubscription;
    private KeyedSubscription? deviceSubscription;

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

    [Inject]
    private BrowserClock Clock { get; set; } = default!;

    /// <summary>CPU, memory and disk share one axis: percent, 0 to 100, every tick labelled with its unit.</summary>
    private static readonly LineChartOptions PercentAxis = new()
    {
        YAxisTicks = 25,
        YAxisSuggestedMax = 100,
        YAxisToStringFunc = v => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{v:0} %"),
    };

    /// <summary>The zone the chart's time axis is drawn in, named under the chart.</summary>
    private string AxisZone => LocalTimes.ZoneName(LocalTimes.ToZone(DateTimeOffset.UtcNow, Clock.Zone).Offset);

    protected override async Task OnParametersSetAsync()
    {
        telemetrySubscription?.Follow(Id);
        deviceSubscription?.Follow(Id);
        device = await Devices.GetAsync(Id);
        groups = await Groups.GroupsOfAsync(Id);
        history = device is null ? [] : await Events.HistoryAsync(Id, device.Name, 10);
        var now = DateTimeOffset.UtcNow;
        await LoadTelemetryAsync();
        loading = false;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        if (Clock.Zone is null)
        {
            await Clock.DetectAsync();
            BuildChart();
            StateHasChanged();
        }

        telemetrySubscription = new KeyedSubscription(deviceId => TelemetryEvents.Subscribe(deviceId, received => OnSamplesAsync(received.Samples)));
        telemetrySubscription.Follow(Id);
        deviceSubscription = new KeyedSubscription(deviceId => Events.Subscribe(deviceId, async _ =>
        {
            device = await Devices.GetAsync(Id);
            groups = await Groups.GroupsOfAsync(Id);
            history = device is null ? [] : await Events.HistoryAsync(Id, device.Name, 10);
            await InvokeAsync(StateHasChanged);
        }));
        deviceSubscription.Follow(Id);
    }

    private Task OnSamplesAsync(IReadOnlyList<TelemetrySample> arrived) => InvokeAsync(() =>
    {
        if (minutes.Count > 0)
        {
            // Long ranges show minute aggregates; they are refreshed when the range is chosen again.
            return;
        }

        samples.AddRange(arrived);
        samples.RemoveAll(s => s.At < DateTimeOffset.UtcNow - window);
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

    private async Task ChooseWindowAsync(TimeSpan chosen)
    {
        window = chosen;
        await LoadTelemetryAsync();
    }

    /// <summary>Up to 6 hours: raw samples, live. Longer: the 1-minute aggregates.</summary>
    private async Task LoadTelemetryAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var series = await Telemetry.SeriesAsync(Id, now - window, now, "auto");
        samples.Clear();
        samples.AddRange(series!.Samples);
        minutes = series.Minutes;
        BuildChart();
    }

    private void BuildChart()
    {
        var all = minutes.Count > 0
            ? minutes.Select(m => new TelemetryPoint(m.Minute, m.CpuPercentAvg, Percent(m.MemoryUsedBytesAvg, m.MemoryTotalBytes), Percent(m.DiskUsedBytesAvg, m.DiskTotalBytes),
                m.NetworkReceivedBytes, m.NetworkSentBytes, m.TemperatureCelsiusMax, null)).ToList()
            : samples.Select(s => new TelemetryPoint(s.At, s.CpuPercent, Percent(s.MemoryUsedBytes, s.MemoryTotalBytes), Percent(s.DiskUsedBytes, s.DiskTotalBytes),
                s.NetworkReceivedBytes, s.NetworkSentBytes, s.TemperatureCelsius, s.GpuPercent)).ToList();

        // At most 90 points: a line does not need every sample to show its shape.
        var step = Math.Max(1, all.Count / 90);
        var points = all.Where((_, i) => i % step == 0 || i == all.Count - 1).ToList();
        labels = ChartTicks.Labels(points.Select(p => p.At).ToList(), window, Clock.Zone);
        series =
        [
            new ChartSeries<double> { Name = "CPU %", Data = points.Select(p => p.Cpu).ToArray() },
            new ChartSeries<double> { Name = "Memory %", Data = points.Select(p => p.Memory).ToArray() },
            new ChartSeries<double> { Name = "Disk %", Data = points.Select(p => p.Disk).ToArray() },
        ];
        extraCharts = TelemetryCharts.Extra(points);
        chartPoints = all.Count;
    }

    private static int Percent(long used, long total) => total <= 0 ? 0 : (int)Math.Round(100.0 * used / total);

    public void Dispose()
    {
        telemetrySubscription?.Dispose();
        deviceSubscription?.Dispose();
    }
}
