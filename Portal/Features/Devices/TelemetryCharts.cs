using MudBlazor;

namespace Portal.Features.Devices;

/// <summary>
/// The charts a device gets beside CPU, memory and disk, each only when the agent reports it: network throughput
/// (from its cumulative counters), temperature and GPU load. One unit per chart, named in its title.
/// </summary>
public static class TelemetryCharts
{
    public static IReadOnlyList<TelemetryChart> Extra(IReadOnlyList<TelemetryPoint> points)
    {
        var charts = new List<TelemetryChart>();
        if (points.Count > 1 && points.Any(p => p.NetworkReceivedBytes > 0 || p.NetworkSentBytes > 0))
        {
            charts.Add(new TelemetryChart("chart-network", "Network (kB/s)",
            [
                new ChartSeries<double> { Name = "Received kB/s", Data = Rates(points, p => p.NetworkReceivedBytes) },
                new ChartSeries<double> { Name = "Sent kB/s", Data = Rates(points, p => p.NetworkSentBytes) },
            ]));
        }

        if (points.Any(p => p.TemperatureCelsius is not null))
        {
            charts.Add(new TelemetryChart("chart-temperature", "Temperature (°C)",
                [new ChartSeries<double> { Name = "Temperature °C", Data = CarryForward(points, p => p.TemperatureCelsius) }]));
        }

        if (points.Any(p => p.GpuPercent is not null))
        {
            charts.Add(new TelemetryChart("chart-gpu", "GPU (%)",
                [new ChartSeries<double> { Name = "GPU %", Data = CarryForward(points, p => p.GpuPercent) }]));
        }

        return charts;
    }

    /// <summary>kB/s between each point and the one before; a counter that went back (the agent's host restarted) counts as 0.</summary>
    public static double[] Rates(IReadOnlyList<TelemetryPoint> points, Func<TelemetryPoint, long> counter)
    {
        var rates = new double[points.Count];
        for (var i = 1; i < points.Count; i++)
        {
            var seconds = (points[i].At - points[i - 1].At).TotalSeconds;
            var bytes = counter(points[i]) - counter(points[i - 1]);
            rates[i] = seconds <= 0 || bytes < 0 ? 0 : Math.Round(bytes / seconds / 1000, 1);
        }

        if (rates.Length > 1)
        {
            // The first point has nothing before it; it reads as its neighbour rather than as a drop to zero.
            rates[0] = rates[1];
        }

        return rates;
    }

    /// <summary>A point without a reading shows the last reading before it (or the first one after, at the start).</summary>
    private static double[] CarryForward(IReadOnlyList<TelemetryPoint> points, Func<TelemetryPoint, double?> value)
    {
        var last = points.Select(value).FirstOrDefault(v => v is not null) ?? 0;
        var data = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            last = value(points[i]) ?? last;
            data[i] = Math.Round(last, 1);
        }

        return data;
    }
}
