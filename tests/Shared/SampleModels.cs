using System.Text.Json;

namespace Portal.Testing;

/// <summary>The sample models shipped in wwwroot-assets/models, and an independent computation of what they define.</summary>
internal static class SampleModels
{
    public static string Folder { get; } = FindFolder();

    public static string Solar => Path.Combine(Folder, "solar-irradiance.onnx");

    public static string Vibration => Path.Combine(Folder, "vibration-anomaly.onnx");

    /// <summary>
    /// A tiny model made for the tests by tests/Shared/Models/make_test_models.py: all-types.onnx, unknown-dims.onnx,
    /// constant.onnx (no inputs) or sequence.onnx.
    /// </summary>
    public static string TestModel(string file) => Path.Combine(TestFolder, file);

    private static string TestFolder { get; } = FindTestFolder();

    /// <summary>x[i] = amplitude·sin(2π·f·i/1000), 256 samples: one accelerometer window.</summary>
    public static float[] SineWindow(double amplitude = 0.5, double hertz = 29.5) =>
        Enumerable.Range(0, 256).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hertz * i / 1000))).ToArray();

    /// <summary>
    /// The vibration model's score computed by hand, as its README defines it: rms, peak, crest and kurtosis of the
    /// window, z-scored with the healthy mean and deviation from the model's metadata, then the RMS of the z-scores.
    /// </summary>
    public static double VibrationScore(float[] window, IReadOnlyDictionary<string, string> metadata)
    {
        var mu = JsonSerializer.Deserialize<double[]>(metadata["feature_mean"])!;
        var sigma = JsonSerializer.Deserialize<double[]>(metadata["feature_std"])!;
        var x = window.Select(v => (double)v).ToArray();
        var rms = Math.Sqrt(x.Average(v => v * v));
        var peak = x.Max(Math.Abs);
        var mean = x.Average();
        var m2 = x.Average(v => Math.Pow(v - mean, 2));
        var m4 = x.Average(v => Math.Pow(v - mean, 4));
        double[] features = [rms, peak, peak / rms, m4 / (m2 * m2)];
        return Math.Sqrt(features.Select((f, i) => Math.Pow((f - mu[i]) / sigma[i], 2)).Average());
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "wwwroot-assets", "models");
            if (File.Exists(Path.Combine(candidate, "catalog.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("wwwroot-assets/models was not found above " + AppContext.BaseDirectory);
    }

    private static string FindTestFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Shared", "Models");
            if (File.Exists(Path.Combine(candidate, "make_test_models.py")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/Shared/Models was not found above " + AppContext.BaseDirectory);
    }
}
