using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Portal.Agent.Inference;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>
/// Loads an uploaded file in ONNX Runtime to prove it is a model and read its signature, and writes the offline
/// optimized variant: basic graph optimizations only (constant folding, redundant node removal), which are applied
/// before any execution provider is chosen and so run on every CPU and on CUDA alike.
/// </summary>
public static class ModelValidator
{
    /// <summary>The signature, or a sentence saying why the file is not a loadable ONNX model.</summary>
    public static (ModelSignature? Signature, string? Problem) Inspect(string path, string fileName)
    {
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            return (null, "The file is empty: an ONNX model was expected.");
        }

        try
        {
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new InferenceSession(path, options);
            var signature = ModelInspector.Inspect(session, path);
            // No inputs is fine (a graph that only produces constants); no outputs would answer nothing.
            return signature.Outputs.Count == 0
                ? (null, "The model has no outputs, so it cannot be served.")
                : (signature, null);
        }
        catch (OnnxRuntimeException ex)
        {
            return (null, $"'{fileName}' is not a loadable ONNX model: {Clean(ex.Message, path, fileName)}");
        }
        catch (InvalidDataException ex)
        {
            return (null, $"'{fileName}' is not a well-formed ONNX file: {ex.Message}");
        }
    }

    /// <summary>Writes the optimized variant to <paramref name="outputPath"/>; the problem when ONNX Runtime could not.</summary>
    public static string? Optimize(string inputPath, string outputPath)
    {
        try
        {
            using (var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
                OptimizedModelFilePath = outputPath,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            })
            using (new InferenceSession(inputPath, options))
            {
            }

            // The variant must itself load, or devices would get something broken.
            using var check = new InferenceSession(outputPath);
            return null;
        }
        catch (OnnxRuntimeException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>ONNX Runtime names the server-side temporary path; people uploaded a file name.</summary>
    private static string Clean(string message, string path, string fileName) =>
        message.Replace(path, fileName, StringComparison.Ordinal).Replace("[ErrorCode:InvalidProtobuf] ", "", StringComparison.Ordinal)
            .Replace("[ErrorCode:InvalidGraph] ", "", StringComparison.Ordinal).Replace("[ErrorCode:Fail] ", "", StringComparison.Ordinal).Trim();
}
