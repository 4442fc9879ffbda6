using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Portal.Common;
using Portal.Components.Shared;
using Portal.Features.Audit;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>
/// Streams a chosen file from the browser into the registry (never whole in memory), showing how much was sent; the
/// registry's own sentence when it rejects the file.
/// </summary>
public sealed partial class ModelUploadPanel
{
    private readonly CancellationTokenSource gone = new();
    private IBrowserFile? file;
    private string notes = "";
    private string? error;
    private bool busy;
    private long sent;
    private long total;

    [Parameter, EditorRequired]
    public ModelDto Model { get; set; } = default!;

    [Parameter]
    public EventCallback<ModelVersionDto> OnUploaded { get; set; }

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private ModelRegistry Registry { get; set; } = default!;

    [Inject]
    private ArtifactStore Store { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private double Percent => total == 0 ? 0 : 100.0 * Math.Min(sent, total) / total;

    private void FileChosen(IBrowserFile? chosen)
    {
        file = chosen;
        error = null;
    }

    private async Task UploadAsync()
    {
        if (file is not { } chosen)
        {
            return;
        }

        if (chosen.Size > Store.MaxUploadBytes)
        {
            error = $"'{chosen.Name}' is larger than the {Store.MaxUploadBytes / (1024 * 1024)} MB upload limit (Portal:Models:MaxUploadMb).";
            return;
        }

        (busy, error, sent, total) = (true, null, 0, chosen.Size);
        // The stream is read in chunks over the circuit: redraw the bar a few times a second, not once per chunk.
        var redraw = new Throttle(TimeSpan.FromMilliseconds(200), () => InvokeAsync(StateHasChanged));
        OperationResult<ModelVersionDto> result;
        try
        {
            await using var stream = chosen.OpenReadStream(maxAllowedSize: Store.MaxUploadBytes, gone.Token);
            result = await Registry.UploadAsync(Model.Id, stream, chosen.Name, notes, await Client.ActorAsync(), bytes =>
            {
                Interlocked.Exchange(ref sent, bytes);
                _ = redraw.RunAsync();
            }, gone.Token);
        }
        catch (IOException ex)
        {
            result = OperationResult<ModelVersionDto>.Fail(OperationOutcome.Invalid, $"The file could not be read from the browser: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            busy = false;
        }

        if (!result.Succeeded)
        {
            error = result.Error ?? "The upload was rejected.";
            return;
        }

        (file, notes) = (null, "");
        Snackbar.Add($"Uploaded {result.Value!.ModelName} v{result.Value.Version}.", Severity.Success);
        await OnUploaded.InvokeAsync(result.Value);
    }

    public void Dispose()
    {
        gone.Cancel();
        gone.Dispose();
    }
}
