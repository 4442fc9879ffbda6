using Portal.Features.Alerts;
using Portal.Shared.Alerts;

namespace Portal.Tests.Alerts;

/// <summary>The alert state machine on explicit times: a rule "above 90 for 60 s, clears at 70 or less, resolves after 30 s clear".</summary>
public sealed class AlertStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private static readonly RuleTiming Timing = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));

    [Fact]
    public void Breach_ShorterThanFor_NeverFires()
    {
        var transitions = Run((0, 95), (30, 96), (50, 92), (55, 60), (70, 95), (100, 80));
        Assert.DoesNotContain(AlertTransition.Fired, transitions);
        Assert.Equal([AlertTransition.Pending, AlertTransition.Pending, AlertTransition.Pending, AlertTransition.Cancelled, AlertTransition.Pending, AlertTransition.Cancelled], transitions);
    }

    [Fact]
    public void Breach_HeldFor_FiresOnce()
    {
        var transitions = Run((0, 95), (30, 95), (60, 95), (90, 99), (120, 95));
        Assert.Equal([AlertTransition.Pending, AlertTransition.Pending, AlertTransition.Fired, AlertTransition.Firing, AlertTransition.Firing], transitions);
    }

    [Fact]
    public void Flapping_InsideTheHysteresisBand_StaysFiring_OneNotification()
    {
        // Above 90, then between 70 and 90 and back, again and again: it fired once and never resolves.
        var transitions = Run((0, 95), (60, 95), (70, 85), (80, 95), (90, 75), (100, 91), (110, 71), (200, 80));
        Assert.Single(transitions, t => t == AlertTransition.Fired);
        Assert.DoesNotContain(AlertTransition.Resolved, transitions);
    }

    [Fact]
    public void Clear_ForResolveAfter_Resolves()
    {
        var transitions = Run((0, 95), (60, 95), (70, 50), (90, 60), (100, 65));
        Assert.Equal([AlertTransition.Pending, AlertTransition.Fired, AlertTransition.Firing, AlertTransition.Firing, AlertTransition.Resolved], transitions);
    }

    [Fact]
    public void Clear_Interrupted_StaysFiring_AndClearingStartsAgain()
    {
        var transitions = Run((0, 95), (60, 95), (70, 50), (90, 80), (95, 50), (120, 50), (125, 50));
        Assert.Equal([AlertTransition.Pending, AlertTransition.Fired, AlertTransition.Firing, AlertTransition.Firing, AlertTransition.Firing, AlertTransition.Firing, AlertTransition.Resolved], transitions);
    }

    [Fact]
    public void KnownStart_CountsFromWhenItBegan_NotFromWhenItWasSeen()
    {
        // A device offline since 5 minutes ago, first looked at now: it fires at once on a 1-minute rule.
        var step = AlertStateMachine.Step(null, Timing, new Observation(T0, 300, Judgement.Breached, Since: T0.AddMinutes(-5)));
        Assert.Equal((AlertTransition.Fired, T0.AddMinutes(-5)), (step.Transition, step.PendingSince));
    }

    [Fact]
    public void ZeroDurations_FireAndResolveAtOnce()
    {
        var instant = new RuleTiming(TimeSpan.Zero, TimeSpan.Zero);
        Assert.Equal(AlertTransition.Fired, AlertStateMachine.Step(null, instant, new Observation(T0, 1, Judgement.Breached)).Transition);
        Assert.Equal(AlertTransition.Resolved, AlertStateMachine.Step(new OpenAlert(AlertState.Firing, T0, null), instant, new Observation(T0.AddSeconds(1), 0, Judgement.Clear)).Transition);
    }

    [Theory]
    [InlineData(95, Comparison.Above, 90, 70, Judgement.Breached)]
    [InlineData(90, Comparison.Above, 90, 70, Judgement.Between)]
    [InlineData(70, Comparison.Above, 90, 70, Judgement.Clear)]
    [InlineData(90, Comparison.Above, 90, 90, Judgement.Clear)]
    [InlineData(5, Comparison.Below, 10, 20, Judgement.Breached)]
    [InlineData(15, Comparison.Below, 10, 20, Judgement.Between)]
    [InlineData(20, Comparison.Below, 10, 20, Judgement.Clear)]
    public void Judge_UsesBothThresholds(double value, Comparison comparison, double threshold, double clear, Judgement expected) =>
        Assert.Equal(expected, AlertStateMachine.Judge(value, comparison, threshold, clear));

    private static List<AlertTransition> Run(params (int Seconds, double Value)[] samples)
    {
        OpenAlert? open = null;
        var transitions = new List<AlertTransition>();
        foreach (var (seconds, value) in samples)
        {
            var step = AlertStateMachine.Step(open, Timing, new Observation(T0.AddSeconds(seconds), value, AlertStateMachine.Judge(value, Comparison.Above, 90, 70)));
            transitions.Add(step.Transition);
            open = step.Transition switch
            {
                AlertTransition.Pending => new OpenAlert(AlertState.Pending, step.PendingSince, null),
                AlertTransition.Fired or AlertTransition.Firing => new OpenAlert(AlertState.Firing, step.PendingSince, step.ClearSince),
                _ => null,
            };
        }

        return transitions;
    }
}
