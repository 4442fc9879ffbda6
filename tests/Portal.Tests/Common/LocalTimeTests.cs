using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components;
using Portal.Components.Shared;
using Portal.Tests.Security;

namespace Portal.Tests.Common;

public sealed class LocalTimeTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset WinterAfternoon = new(2026, 12, 4, 16, 21, 5, TimeSpan.Zero);
    private readonly ManualClock clock = new() { Now = new DateTimeOffset(2026, 12, 4, 16, 26, 5, TimeSpan.Zero) };

    public LocalTimeTests()
    {
        Services.AddPortalPageServices();
        Services.AddSingleton<TimeProvider>(clock);
    }

    [Fact]
    public void LocalTime_BrowserInMadrid_ShowsMadridTimeWithTheZoneNamed()
    {
        JSInterop.SetupModule(BrowserClock.Module).Setup<string?>("timeZone").SetResult("Europe/Madrid");

        var time = Render<LocalTime>(p => p.Add(x => x.Value, WinterAfternoon));

        time.WaitForAssertion(() => Assert.Equal("2026-12-04 17:21 UTC+1", time.Find(".local-time").TextContent), Patience);
        Assert.Equal("5 min ago", time.Find(".local-time").GetAttribute("title"));
    }

    [Fact]
    public void LocalTime_SummerInMadrid_ShowsTheSummerOffset()
    {
        JSInterop.SetupModule(BrowserClock.Module).Setup<string?>("timeZone").SetResult("Europe/Madrid");

        var time = Render<LocalTime>(p => p.Add(x => x.Value, new DateTimeOffset(2026, 7, 1, 22, 30, 0, TimeSpan.Zero)));

        time.WaitForAssertion(() => Assert.Equal("2026-07-02 00:30 UTC+2", time.Find(".local-time").TextContent), Patience);
    }

    [Fact]
    public void LocalTime_ZoneNotKnownYet_ShowsUtcAndSaysSo()
    {
        // The browser has not answered (as while prerendering): the time is UTC, named, never the server's zone.
        JSInterop.SetupModule(BrowserClock.Module).Setup<string?>("timeZone");

        var time = Render<LocalTime>(p => p.Add(x => x.Value, WinterAfternoon).Add(x => x.Format, LocalTimes.Seconds));

        Assert.Equal("2026-12-04 16:21:05 UTC", time.Find(".local-time").TextContent);
    }

    [Fact]
    public void LocalTime_UnknownZone_StaysInUtc()
    {
        var zone = JSInterop.SetupModule(BrowserClock.Module).Setup<string?>("timeZone");
        zone.SetResult("Nowhere/Atlantis");

        var time = Render<LocalTime>(p => p.Add(x => x.Value, WinterAfternoon));

        time.WaitForAssertion(() => Assert.Single(zone.Invocations), Patience);
        Assert.Equal("2026-12-04 16:21 UTC", time.Find(".local-time").TextContent);
    }

    [Fact]
    public void LocalTime_Relative_ShowsAgoWithTheLocalTimeInTheTitle()
    {
        JSInterop.SetupModule(BrowserClock.Module).Setup<string?>("timeZone").SetResult("Asia/Kolkata");

        var time = Render<LocalTime>(p => p.Add(x => x.Value, WinterAfternoon).Add(x => x.Relative, true));

        time.WaitForAssertion(() => Assert.Equal("2026-12-04 21:51:05 UTC+5:30", time.Find(".local-time").GetAttribute("title")), Patience);
        Assert.Equal("5 min ago", time.Find(".local-time").TextContent);
    }

    [Fact]
    public void BrowserClock_ManyTimesOnAPage_AsksTheBrowserOnce()
    {
        var zone = JSInterop.SetupModule(BrowserClock.Module).Setup<string?>("timeZone");
        zone.SetResult("America/Sao_Paulo");

        var first = Render<LocalTime>(p => p.Add(x => x.Value, WinterAfternoon));
        var second = Render<LocalTime>(p => p.Add(x => x.Value, WinterAfternoon));

        second.WaitForAssertion(() => Assert.Equal("2026-12-04 13:21 UTC-3", second.Find(".local-time").TextContent), Patience);
        first.WaitForAssertion(() => Assert.Equal("2026-12-04 13:21 UTC-3", first.Find(".local-time").TextContent), Patience);
        Assert.Single(zone.Invocations);
    }
}
