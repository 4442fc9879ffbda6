using Portal.Features.Deployments;
using Portal.Features.Groups;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using static Portal.Features.Deployments.RolloutPlanner;

namespace Portal.Tests.Deployments;

/// <summary>
/// Maintenance windows, on a test clock: whether a window is open and when the next opens (in the site's zone, across
/// midnight and daylight-saving changes), and a rollout that respects them releasing a device only once its window opens.
/// </summary>
public sealed class MaintenanceWindowTests
{
    // Tuesdays and Thursdays, 02:00 for 2 h, Madrid time (UTC+1 in winter).
    private static readonly MaintenanceWindow Night = new(["Tue", "thursday"], "02:00", 120, "Europe/Madrid");

    // Sunday 6 December 2026, 12:00 UTC.
    private static readonly DateTimeOffset Sunday = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NextOpening_OutsideTheWindow_IsTheNextDaysStartInItsZone()
    {
        var next = MaintenanceSchedule.NextOpening([Night], Sunday)!.Value;

        Assert.Equal(new DateTimeOffset(2026, 12, 8, 1, 0, 0, TimeSpan.Zero), next.At);
        Assert.Equal("Tue 8 Dec 02:00 Europe/Madrid", MaintenanceSchedule.Describe(next.At, next.TimeZone));
    }

    [Fact]
    public void NextOpening_InsideTheWindowOrWithoutWindows_IsNull()
    {
        Assert.Null(MaintenanceSchedule.NextOpening([Night], new DateTimeOffset(2026, 12, 8, 1, 30, 0, TimeSpan.Zero)));
        Assert.Null(MaintenanceSchedule.NextOpening([], Sunday));
        // At the end it is closed again, until Thursday.
        Assert.Equal(new DateTimeOffset(2026, 12, 10, 1, 0, 0, TimeSpan.Zero), MaintenanceSchedule.NextOpening([Night], new DateTimeOffset(2026, 12, 8, 3, 0, 0, TimeSpan.Zero))!.Value.At);
    }

    [Fact]
    public void NextOpening_AWindowPastMidnight_IsStillOpenTheNextMorning()
    {
        var saturdayNight = new MaintenanceWindow(["Saturday"], "23:00", 240, "UTC");

        Assert.Null(MaintenanceSchedule.NextOpening([saturdayNight], new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero)));
        Assert.NotNull(MaintenanceSchedule.NextOpening([saturdayNight], new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void NextOpening_AStartTheSpringForwardSkips_OpensWhenTheClocksResume()
    {
        // 29 March 2026: Madrid jumps from 02:00 to 03:00 (01:00 UTC).
        var sunday = new MaintenanceWindow(["Sun"], "02:30", 60, "Europe/Madrid");

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), MaintenanceSchedule.NextOpening([sunday], new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero))!.Value.At);
    }

    [Theory]
    [InlineData("Funday", "02:00", 60, "UTC", "Monday … Sunday")]
    [InlineData("Mon", "2am", 60, "UTC", "HH:mm")]
    [InlineData("Mon", "02:00", 0, "UTC", "between 1 minute and 7 days")]
    [InlineData("Mon", "02:00", 60, "Mars/Olympus", "not a time zone")]
    public void Problem_BadWindow_IsNamed(string day, string start, int minutes, string zone, string expected)
    {
        Assert.Contains(expected, MaintenanceSchedule.Problem([new MaintenanceWindow([day], start, minutes, zone)]), StringComparison.Ordinal);
        Assert.Null(MaintenanceSchedule.Problem([Night]));
        Assert.Equal(["Tuesday", "Thursday"], MaintenanceSchedule.Normalize([Night])[0].Days);
    }

    [Fact]
    public void Rollout_RespectingWindows_WaitsUntilTheWindowOpens_ThenReleases()
    {
        var strategy = new RolloutStrategy(RespectMaintenanceWindows: true);
        Target[] targets = [new("press-1", DeviceRolloutState.Waiting, null), new("press-2", DeviceRolloutState.Waiting, null)];
        // press-1 is in a group with the night window; press-2 in none (released at any time).
        IReadOnlyDictionary<string, DateTimeOffset>? Closed(DateTimeOffset now) =>
            MaintenanceSchedule.NextOpening([Night], now) is { } next ? new Dictionary<string, DateTimeOffset> { ["press-1"] = next.At } : new Dictionary<string, DateTimeOffset>();

        var sunday = Step(strategy, DeploymentState.InProgress, null, targets, Sunday, closedUntil: Closed(Sunday));
        Assert.Equal(["press-2"], sunday.Release);
        Assert.Equal("Waiting for maintenance windows: 1 device outside theirs; the next opens 2026-12-08 01:00 UTC", sunday.Reason);

        // Hours later, press-2 runs and press-1 still waits: nothing to release, nothing new to say.
        targets = [new("press-1", DeviceRolloutState.Waiting, null), new("press-2", DeviceRolloutState.Running, Sunday)];
        var later = Sunday.AddHours(6);
        var waiting = Step(strategy, DeploymentState.InProgress, sunday.Reason, targets, later, closedUntil: Closed(later));
        Assert.Empty(waiting.Release);
        Assert.Equal(DeploymentState.InProgress, waiting.State);
        Assert.False(waiting.ChangesAnything(DeploymentState.InProgress, sunday.Reason));

        var tuesday = new DateTimeOffset(2026, 12, 8, 1, 0, 5, TimeSpan.Zero);
        var opened = Step(strategy, DeploymentState.InProgress, waiting.Reason, targets, tuesday, closedUntil: Closed(tuesday));
        Assert.Equal(["press-1"], opened.Release);
        Assert.Null(opened.Reason);
    }

    [Fact]
    public void Rollout_NotRespectingWindows_ReleasesAtOnce() =>
        Assert.Equal(["press-1"], Step(new RolloutStrategy(), DeploymentState.InProgress, null, [new("press-1", DeviceRolloutState.Waiting, null)], Sunday).Release);

    [Fact]
    public void Rollout_AwaitingApproval_ReleasesNothing() =>
        Assert.False(Step(new RolloutStrategy(), DeploymentState.AwaitingApproval, "waits", [new("press-1", DeviceRolloutState.Waiting, null)], Sunday)
            .ChangesAnything(DeploymentState.AwaitingApproval, "waits"));
}
