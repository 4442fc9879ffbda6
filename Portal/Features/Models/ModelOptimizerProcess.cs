using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Portal.Features.Models;

/// <summary>
/// The child side of <see cref="ModelOptimizer"/>: <c>Portal --optimize-model INPUT OUTPUT MAX_FOLDED_BYTES</c> writes the
/// offline optimized variant and exits. It runs in its own process so that a hostile graph (a 135-byte model that folds
/// into a gigabyte) costs that process, which the portal watches and kills, and never the portal's own memory.
/// </summary>
public static class ModelOptimizerProcess
{
    public const string Verb = "--optimize-model";

    /// <summary>ONNX Runtime refuses to fold a node whose output is larger than this (its own guard against folding bombs).</summary>
    public const string FoldLimitKey = "optimization.constant_folding_max_output_size_in_bytes";

    public static bool Matches(string[] args) => args is [Verb, ..];

    /// <returns>0 when the variant was written and loads; 2 with the reason on standard error when ONNX Runtime refused.</returns>
    public static int Run(string[] args)
    {
        if (args is not [Verb, var input, var output, var limitText] || !long.TryParse(limitText, CultureInfo.InvariantCulture, out var foldLimit) || foldLimit < 1)
        {
            Console.Error.WriteLine($"Usage: {Verb} INPUT OUTPUT MAX_FOLDED_BYTES");
            return 64;
        }

        try
        {
            using (var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
                OptimizedModelFilePath = output,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
                IntraOpNumThreads = 1,
            })
            {
                options.AddSessionConfigEntry(FoldLimitKey, foldLimit.ToString(CultureInfo.InvariantCulture));
                using (new InferenceSession(input, options))
                {
                }
            }

            // The variant must itself load, or devices would get something broken; loading it must not fold anything again.
            using var check = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using (new InferenceSession(output, check))
            {
            }

            return 0;
        }
        catch (OnnxRuntimeException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
    }
}
