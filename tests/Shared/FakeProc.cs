namespace Portal.Testing;

/// <summary>
/// A /proc folder for an agent's <c>Agent:ProcDirectory</c> whose <c>stat</c> says the machine is busy
/// <see cref="BusyPercent"/> of the time: its cpu line is rewritten (atomically) ten times a second, so the agent's
/// CPU % follows what the test sets. Memory, load and network files are absent (the agent then reports its defaults).
/// </summary>
internal sealed class FakeProc : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task writer;
    private volatile int busyPercent;

    public FakeProc(int busyPercent)
    {
        this.busyPercent = busyPercent;
        Directory.CreateDirectory(Folder);
        writer = Task.Run(() => WriteAsync(stop.Token), CancellationToken.None);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "portal-fake-proc", Guid.NewGuid().ToString("N"));

    public int BusyPercent
    {
        get => busyPercent;
        set => busyPercent = value;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await writer;
        stop.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        long busy = 0, idle = 0;
        var stat = Path.Combine(Folder, "stat");
        while (!ct.IsCancellationRequested)
        {
            busy += busyPercent;
            idle += 100 - busyPercent;
            await File.WriteAllTextAsync(stat + ".tmp", $"cpu  {busy} 0 0 {idle} 0 0 0 0 0 0\n", CancellationToken.None);
            File.Move(stat + ".tmp", stat, overwrite: true);
            await Task.Delay(100, CancellationToken.None);
        }
    }
}
