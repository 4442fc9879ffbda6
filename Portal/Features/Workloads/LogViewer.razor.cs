using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Portal.Shared.Workloads;

namespace Portal.Features.Workloads;

/// <summary>
/// Follows one workload's log while open: watching makes the agent send its lines, disposing stops it. Paused, new
/// lines are buffered instead of shown.
/// </summary>
public sealed partial class LogViewer
{
    public const int MaxLines = 2000;

    private readonly List<LogLine> lines = [];
    private readonly List<LogLine> buffered = [];
    private string search = "";
    private bool paused;
    private bool scrollPending;
    private string? failure;
    private IDisposable? watch;
    private IJSObjectReference? module;
    private ElementReference view;
    private bool disposed;

    [Parameter, EditorRequired]
    public string DeviceId { get; set; } = "";

    [Parameter, EditorRequired]
    public string Workload { get; set; } = "";

    [Parameter]
    public EventCallback OnClose { get; set; }

    /// <summary>The workload's latest status, to say why there are no lines yet.</summary>
    [Parameter]
    public WorkloadStatus? Status { get; set; }

    /// <summary>What the title calls the workload, when its name on the device is not what a person knows it by (a stack's service).</summary>
    [Parameter]
    public string? Title { get; set; }

    [Inject]
    private LogStreams Streams { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private List<LogLine> Shown => string.IsNullOrWhiteSpace(search)
        ? lines
        : lines.Where(l => l.Text.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();

    private string CountText
    {
        get
        {
            var shown = Shown.Count;
            var text = shown == lines.Count ? $"{lines.Count} lines" : $"{shown} of {lines.Count} lines";
            return paused && buffered.Count > 0 ? $"{text} · {buffered.Count} new while paused" : text;
        }
    }

    /// <summary>
    /// What the view says before the first line: a container that was never created or never started has no log, and
    /// waiting for one without saying so looks like a hang.
    /// </summary>
    internal static string WaitingText(WorkloadStatus? status) => status switch
    {
        null => "Waiting for lines…",
        { ContainerId: null, State: WorkloadState.Failed } s => $"Nothing yet: the container was never started because it failed. {s.Reason}".TrimEnd(),
        { ContainerId: null, State: WorkloadState.Pulling } => "Nothing yet: the device is still pulling the image. Lines appear once the container starts.",
        { ContainerId: null } => "Nothing yet: the container has not been created on the device. Lines appear once it starts.",
        { StartedAt: null } s => $"Nothing yet: the container was created but has not started. {s.Reason}".TrimEnd(),
        _ => "No lines yet: the container is running and has written nothing to its output so far.",
    };

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            try
            {
                var started = await Streams.WatchAsync(DeviceId, Workload, OnLinesAsync);
                if (disposed)
                {
                    started.Dispose();
                }
                else
                {
                    watch = started;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or TimeoutException)
            {
                failure = $"Could not follow the log: {ex.Message}";
                StateHasChanged();
            }

            return;
        }

        if (scrollPending && !paused)
        {
            scrollPending = false;
            module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./Features/Workloads/LogViewer.razor.js");
            await module.InvokeVoidAsync("scrollToBottom", view);
        }
    }

    private Task OnLinesAsync(IReadOnlyList<LogLine> arrived) => InvokeAsync(() =>
    {
        var target = paused ? buffered : lines;
        target.AddRange(arrived);
        Trim(target);
        scrollPending = true;
        StateHasChanged();
    });

    private static void Trim(List<LogLine> list)
    {
        if (list.Count > MaxLines)
        {
            list.RemoveRange(0, list.Count - MaxLines);
        }
    }

    private void SearchChanged(string? value) => search = value ?? "";

    private void TogglePause()
    {
        paused = !paused;
        if (!paused)
        {
            lines.AddRange(buffered);
            buffered.Clear();
            Trim(lines);
            scrollPending = true;
        }
    }

    private async Task DownloadAsync()
    {
        var text = string.Join('\n', Shown.Select(l => $"{l.At.ToString("O", CultureInfo.InvariantCulture)} {l.Stream} {l.Text}"));
        module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./Features/Workloads/LogViewer.razor.js");
        await module.InvokeVoidAsync("download", $"{Workload}-{DateTimeOffset.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.txt", text + "\n");
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        watch?.Dispose();
        watch = null;
        if (module is not null)
        {
            try
            {
                await module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone: nothing to release in the browser.
            }
        }
    }
}
