using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Portal.Agent.Inference;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>
/// Loads an uploaded file in ONNX Runtime, without optimizing it, to prove it is a model and read its signature.
/// The optimized variant is <see cref="ModelOptimizer"/>'s.
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
            return (null, $"'{fileName}' is not a well-formed ONNX file: {Clean(ex.Message, path, fileName)}");
        }
    }

    /// <summary>ONNX Runtime names the server-side temporary path (and files beside it); people uploaded a file name.</summary>
    private static string Clean(string message, string path, string fileName) =>
        ServerPaths.Hide(message.Replace(path, fileName, StringComparison.Ordinal)).Replace("[ErrorCode:InvalidProtobuf] ", "", StringComparison.Ordinal)
            .Replace("[ErrorCode:InvalidGraph] ", "", StringComparison.Ordinal).Replace("[ErrorCode:Fail] ", "", StringComparison.Ordinal).Trim();
}
