using Portal.Common;
using Portal.Features.Audit;
using Portal.Features.Compose;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Features.Marketplace;

/// <summary>Adds an app (App null) or replaces an app's definition, edited as JSON.</summary>
public sealed partial class AppEditorDialog
{
    private const long MaxFileBytes = 512 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly AppDefinition Template = new(
        "my-app", "My app", "My company", "Utilities", "What the app does, what it needs and how to reach it once it runs.", null,
        [
            new AppVersion(
                "1.0.0", "registry.example.com/my-app:1.0.0",
                Environment: new Dictionary<string, string> { ["LOG_LEVEL"] = "${LogLevel}" },
                Ports: [new PortMapping(8080, 8080)],
                Limits: new ResourceLimits(CpuCores: 1, MemoryBytes: 256L * 1024 * 1024),
                Parameters: [new AppParameter("LogLevel", Default: "info", Required: true, Description: "info, debug or warning")],
                ReleaseNotes: "First version."),
        ]);

    /// <summary>A zip's compressed size; what it holds is limited again by <see cref="ComposeArchive"/> as it unpacks.</summary>
    private const long MaxStackUploadBytes = 2L * ComposeArchive.MaxTotalBytes;

    private string json = "";
    private string? error;
    private bool busy;
    private bool isStack;
    private AppStackDraft stack = new();

    [CascadingParameter]
    private IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject]
    private CircuitClient Client { get; set; } = default!;

    [Inject]
    private MarketplaceService Marketplace { get; set; } = default!;

    /// <summary>The app to edit; null to add one.</summary>
    [Parameter]
    public AppDto? App { get; set; }

    protected override void OnInitialized()
    {
        var (rest, draft) = AppStackDraft.Split(App is null ? Template : ToDefinition(App));
        (isStack, stack, json) = (draft is not null, draft ?? new AppStackDraft(), JsonSerializer.Serialize(rest, Json));
    }

    public static AppDefinition ToDefinition(AppDto app) =>
        new(app.Id, app.Name, app.Publisher, app.Category, app.Description, string.IsNullOrEmpty(app.IconUrl) ? null : app.IconUrl, app.Versions);

    private async Task LoadFileAsync(InputFileChangeEventArgs e)
    {
        if (e.File.Size > MaxFileBytes)
        {
            error = $"{e.File.Name} is too large: an app definition is at most {MaxFileBytes / 1024} KiB.";
            return;
        }

        using var reader = new StreamReader(e.File.OpenReadStream(MaxFileBytes));
        json = await reader.ReadToEndAsync();
        error = null;
    }

    private void SetKind(bool stackKind) => (isStack, error) = (stackKind, null);

    private async Task LoadStackAsync(InputFileChangeEventArgs e)
    {
        if (e.File.Size > MaxStackUploadBytes)
        {
            stack.Load(e.File.Name, [], null);
            error = $"{e.File.Name} is {Humanize.FileSize(e.File.Size)}; upload {ComposeArchive.Limits}.";
            return;
        }

        using var buffer = new MemoryStream();
        await using (var stream = e.File.OpenReadStream(MaxStackUploadBytes))
        {
            await stream.CopyToAsync(buffer);
        }

        stack.Load(e.File.Name, buffer.ToArray(), TryRead(json)?.Versions is [var first, ..] ? first.Parameters : null);
        error = null;
    }

    private static AppDefinition? TryRead(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<AppDefinition>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task SaveAsync()
    {
        AppDefinition? definition;
        try
        {
            definition = JsonSerializer.Deserialize<AppDefinition>(json, Json);
        }
        catch (JsonException ex)
        {
            error = $"This is not a valid app definition. {JsonErrorText.Describe(ex)}";
            return;
        }

        if (isStack)
        {
            if (stack.Bundle is null || stack.Problem is not null)
            {
                error = stack.Problem ?? "Upload the stack's compose file (or a zip with it) first, or choose 'one container'.";
                return;
            }

            definition = definition is null ? null : stack.Merge(definition);
        }

        busy = true;
        error = null;
        var result = App is null
            ? await Marketplace.CreateAsync(definition, certified: false, await Client.ActorAsync())
            : await Marketplace.UpdateAsync(App.Id, definition, await Client.ActorAsync());
        busy = false;
        if (result.Succeeded)
        {
            MudDialog.Close(DialogResult.Ok(result.Value));
        }
        else
        {
            error = result.Error ?? "The app could not be saved.";
        }
    }
}
