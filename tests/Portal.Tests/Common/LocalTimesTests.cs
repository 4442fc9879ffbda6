using Portal.Components.Shared;
using Portal.Features.Devices;

namespace Portal.Tests.Common;

public sealed class LocalTimesTests
{
    [Theory]
    [InlineData(0, 0, "UTC")]
    [InlineData(1, 0, "UTC+1")]
    [InlineData(5, 30, "UTC+5:30")]
    [InlineData(-3, 0, "UTC-3")]
    [InlineData(-9, -30, "UTC-9:30")]
    public void ZoneName_Offset_NamesItTheSameInEveryLanguage(int hours, int minutes, string expected) =>
        Assert.Equal(expected, LocalTimes.ZoneName(new TimeSpan(hours, minutes, 0)));

    [Fact]
    public void Format_OffsetGivenValue_ConvertsTheInstantNotTheClockText()
    {
        // 18:00 in UTC+2 is 16:00 UTC, which is 17:00 in Madrid in winter.
        var value = new DateTimeOffset(2026, 12, 4, 18, 0, 0, TimeSpan.FromHours(2));

        Assert.Equal("2026-12-04 17:00 UTC+1", LocalTimes.Format(value, LocalTimes.Find("Europe/Madrid")));
        Assert.Equal("2026-12-04 16:00 UTC", LocalTimes.Format(value, null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Nowhere/Atlantis")]
    public void Find_UnknownOrMissingZone_IsNull(string? id) => Assert.Null(LocalTimes.Find(id));

    [Fact]
    public void ChartTicks_SamplesWithinOneMinute_NoLabelRepeats()
    {
        var start = new DateTimeOffset(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);
        var points = Enumerable.Range(0, 60).Select(i => start.AddSeconds(i * 3)).ToList();

        var labels = ChartTicks.Labels(points, TimeSpan.FromMinutes(15), LocalTimes.Find("Europe/Madrid"));

        var shown = labels.Where(l => l.Length > 0).ToList();
        Assert.Equal(shown.Distinct().Count(), shown.Count);
        Assert.Equal(["17:00", "17:01", "17:02"], shown);
        Assert.Equal(points.Count, labels.Length);
    }

    [Fact]
    public void ChartTicks_LongWindow_ShowsTheDateInTheReadersZone()
    {
        var points = new[] { new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero) };

        var labels = ChartTicks.Labels(points, TimeSpan.FromDays(7), LocalTimes.Find("Europe/Madrid"));

        Assert.Equal(["12-05 00:30"], labels);
    }
}
