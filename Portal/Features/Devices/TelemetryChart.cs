using MudBlazor;

namespace Portal.Features.Devices;

/// <summary>A chart under the device's resource chart; the title carries the unit its values are in.</summary>
public sealed record TelemetryChart(string Id, string Title, List<ChartSeries<double>> Series);
