using Microsoft.ML.OnnxRuntime;
using Portal.Shared.Models;

namespace Portal.Agent.Inference;

/// <summary>
/// Inference sessions with the device's settings: intra-op threads, all graph optimizations, and the CUDA execution
/// provider when the deployment asks for it and this build of ONNX Runtime on this device offers it; CPU otherwise.
/// </summary>
public static class SessionFactory
{
    public const string CudaProvider = "CUDAExecutionProvider";

    public static bool CudaAvailable()
    {
        try
        {
            return OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider);
        }
        catch (OnnxRuntimeException)
        {
            return false;
        }
    }

    /// <summary>Opens a session; <c>Provider</c> is what it runs on, <c>Note</c> says why that differs from what was asked.</summary>
    public static (InferenceSession Session, string Provider, string? Note) Open(string path, string preferredProvider, int intraOpThreads)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = Math.Max(0, intraOpThreads),
        };
        string provider = ExecutionProviders.Cpu;
        string? note = null;
        if (preferredProvider == ExecutionProviders.Cuda)
        {
            if (!CudaAvailable())
            {
                note = "CUDA was asked for, but this device's ONNX Runtime has no CUDA execution provider: running on CPU.";
            }
            else
            {
                try
                {
                    options.AppendExecutionProvider_CUDA(0);
                    provider = ExecutionProviders.Cuda;
                }
                catch (OnnxRuntimeException ex)
                {
                    note = $"CUDA could not be used ({ex.Message}): running on CPU.";
                }
            }
        }

        return (new InferenceSession(path, options), provider, note);
    }
}
