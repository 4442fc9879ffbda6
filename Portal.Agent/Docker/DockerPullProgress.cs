using Docker.DotNet.Models;

namespace Portal.Agent.Docker;

/// <summary>
/// Turns the engine's per-layer pull messages into one rough percentage. Downloading counts for 80 % of a layer and
/// extracting for the rest; only layers the engine has mentioned count, so the figure can only be rough.
/// </summary>
internal sealed class DockerPullProgress(IProgress<int>? progress)
{
    private readonly Dictionary<string, double> _layers = new(StringComparer.Ordinal);
    private int _reported = -1;

    /// <summary>The first error the engine put in the stream; pulls report failures there, not with an HTTP status.</summary>
    public string? Error { get; private set; }

    public void Report(JSONMessage message)
    {
        if (message.Error is { Message: { Length: > 0 } error })
        {
            Error ??= error;
            return;
        }

        if (string.IsNullOrEmpty(message.ID) || message.Status is null)
        {
            return;
        }

        var fraction = LayerFraction(message.Status, message.Progress);
        if (fraction is null)
        {
            return;
        }

        // A layer's figure never goes back, e.g. when extraction starts its own current/total from zero.
        _layers[message.ID] = Math.Max(_layers.GetValueOrDefault(message.ID), fraction.Value);
        var percent = (int)Math.Floor(_layers.Values.Average() * 100);
        if (percent > _reported)
        {
            _reported = percent;
            progress?.Report(percent);
        }
    }

    private static double? LayerFraction(string status, JSONProgress? detail)
    {
        static double Part(JSONProgress? p) =>
            p is { Current: > 0, Total: > 0 } ? Math.Clamp((double)p.Current.Value / p.Total.Value, 0, 1) : 0;

        return status switch
        {
            "Pulling fs layer" or "Waiting" => 0,
            "Downloading" => 0.8 * Part(detail),
            "Verifying Checksum" or "Download complete" => 0.8,
            "Extracting" => 0.8 + (0.2 * Part(detail)),
            "Pull complete" or "Already exists" => 1,
            _ => null,
        };
    }
}
