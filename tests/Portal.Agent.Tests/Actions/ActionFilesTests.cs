using Portal.Agent.Actions;
using Portal.Shared.Devices;
using Portal.Shared.Hubs;

namespace Portal.Agent.Tests.Actions;

/// <summary>The two small files remote actions keep: what a restart or reboot left to report, and what was pre-pulled.</summary>
public sealed class ActionFilesTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "portal-action-files", Guid.NewGuid().ToString("N"));

    [Fact]
    public void PendingAction_SurvivesARestart_AndIsGoneOnceCleared()
    {
        var pending = new PendingAction("42", DeviceActionKind.RebootHost, 1234, PendingAction.CurrentBootId(), DateTimeOffset.UnixEpoch);
        pending.Save(data);

        Assert.Equal(pending, PendingAction.Load(data, out var problem));
        Assert.Null(problem);
        PendingAction.Clear(data);
        Assert.Null(PendingAction.Load(data, out _));
    }

    [Fact]
    public void PendingAction_Damaged_IsReportedAndRemoved_NeverThrows()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PendingAction.PathIn(data))!);
        File.WriteAllText(PendingAction.PathIn(data), "{\"actionId\":\"4");

        Assert.Null(PendingAction.Load(data, out var problem));
        Assert.NotNull(problem);
        Assert.False(File.Exists(PendingAction.PathIn(data)));
    }

    [Fact]
    public void BootId_IsReadOnLinux()
    {
        Assert.Matches("^[0-9a-f-]{36}$", PendingAction.CurrentBootId());
    }

    [Fact]
    public void PrePulledImages_AreKeptForAWeek_ThenForgotten()
    {
        var clock = new SteppingClock();
        var images = new PrePulledImages(data, clock);
        images.Add(["registry.local/app:1", "busybox:1.36"]);
        clock.Now += TimeSpan.FromDays(6);
        images.Add(["busybox:1.36"]);
        Assert.Equal(["busybox:1.36", "registry.local/app:1"], images.Current().Order(StringComparer.Ordinal));

        clock.Now += TimeSpan.FromDays(2);
        Assert.Equal(["busybox:1.36"], images.Current());
    }

    [Fact]
    public void PrePulledImages_DamagedFile_CountsAsNothing()
    {
        var images = new PrePulledImages(data, TimeProvider.System);
        images.Add(["a:1"]);
        var file = Path.Combine(data, "actions", "prepulled.json");
        File.WriteAllText(file, "not json");
        File.WriteAllText(file + ".bak", "not json either");

        Assert.Empty(images.Current());
    }

    [Fact]
    public void UnsentReports_KeepOnePerAction_TheNewestHundred_UntilTaken()
    {
        var unsent = new UnsentReports(data);
        unsent.Add(new DeviceActionReport("1", DeviceActionState.Succeeded, "first"));
        unsent.Add(new DeviceActionReport("1", DeviceActionState.Failed, "again"));
        for (var i = 2; i <= UnsentReports.Max + 5; i++)
        {
            unsent.Add(new DeviceActionReport(i.ToString(System.Globalization.CultureInfo.InvariantCulture), DeviceActionState.Succeeded, "ok"));
        }

        var all = unsent.All();
        Assert.Equal(UnsentReports.Max, all.Count);
        Assert.DoesNotContain(all, r => r.ActionId is "1" or "5");
        Assert.Equal("105", all[^1].ActionId);

        unsent.Remove(all.Select(r => r.ActionId));
        Assert.Empty(new UnsentReports(data).All());
        Assert.False(File.Exists(Path.Combine(data, "actions", "unsent.json")));
    }

    [Fact]
    public void UnsentReports_NothingEverKept_RemovingIsHarmless_AndWritesNothing()
    {
        var unsent = new UnsentReports(data);

        unsent.Remove([]);
        unsent.Remove(["3"]);

        Assert.Empty(unsent.All());
        Assert.False(Directory.Exists(Path.Combine(data, "actions")));
    }

    [Fact]
    public void UnsentReports_DamagedFile_CountsAsNone()
    {
        var unsent = new UnsentReports(data);
        unsent.Add(new DeviceActionReport("7", DeviceActionState.Succeeded, "ok"));
        var file = Path.Combine(data, "actions", "unsent.json");
        File.WriteAllText(file, "[{\"actionId\":");
        File.WriteAllText(file + ".bak", "");

        Assert.Empty(unsent.All());
    }

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private sealed class SteppingClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
