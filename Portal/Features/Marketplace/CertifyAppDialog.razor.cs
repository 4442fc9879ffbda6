using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Features.Compose;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Features.Marketplace;

/// <summary>The certify confirmation: closes with true when the admin certifies, having seen what every version asks of a device.</summary>
public sealed partial class CertifyAppDialog
{
    private sealed record VersionDemands(AppVersion Version, ComposeApp? Stack, string? Problem);

    private IReadOnlyList<VersionDemands> versions = [];

    [CascadingParameter]
    private IMudDialogInstance MudDialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public AppDto App { get; set; } = default!;

    private IReadOnlyList<string> AskedDevices =>
        [.. versions.Where(v => v.Stack is not null).SelectMany(v => v.Stack!.Devices).Distinct(StringComparer.Ordinal)];

    protected override void OnParametersSet() => versions = [.. App.Versions.Select(Demands)];

    private static VersionDemands Demands(AppVersion version)
    {
        if (!version.IsStack)
        {
            return new VersionDemands(version, null, null);
        }

        try
        {
            return new VersionDemands(version, AppStackDraft.Parse(version.Compose!, version.Parameters), null);
        }
        catch (ComposeException e)
        {
            return new VersionDemands(version, null, e.Message);
        }
    }

    private static string VolumeText(ComposeVolume v) =>
        $"{v.Source}:{v.Target}{(v.ReadOnly ? " (read-only)" : "")}{(v.IsBind ? " (app folder)" : "")}";

    /// <summary>"1.5 CPU, 256 MiB, GPU"; null when nothing is limited or asked for.</summary>
    public static string? LimitsText(ResourceLimits? limits)
    {
        if (limits is null)
        {
            return null;
        }

        var parts = new List<string>();
        if (limits.CpuCores > 0)
        {
            parts.Add($"{limits.CpuCores.ToString("0.##", CultureInfo.InvariantCulture)} CPU");
        }

        if (limits.MemoryBytes > 0)
        {
            parts.Add(Humanize.Bytes(limits.MemoryBytes));
        }

        if (limits.Gpu)
        {
            parts.Add("GPU");
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }
}
