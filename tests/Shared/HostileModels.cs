using System.Diagnostics;

namespace Portal.Testing;

/// <summary>
/// Small ONNX files that attack the portal, built with Debian's python3-onnx (<c>/usr/bin/python3</c>) the way
/// wwwroot-assets/models/make_models.py builds the samples.
/// </summary>
internal static class HostileModels
{
    private const string Python = "/usr/bin/python3";

    /// <summary>
    /// About 140 bytes: <c>y = x · Expand(1.0, [elements])</c>. Constant folding materializes the expanded tensor
    /// (4 bytes per element) and writes it into the optimized model.
    /// </summary>
    public static Task<string> ExpandBombAsync(string folder, long elements, CancellationToken ct) => BuildAsync(folder, "expand-bomb.onnx", $$"""
        shape = helper.make_tensor("shape", TensorProto.INT64, [1], [{{elements}}])
        one = helper.make_tensor("one", TensorProto.FLOAT, [1], [1.0])
        graph = helper.make_graph(
            [helper.make_node("Expand", ["one", "shape"], ["big"]), helper.make_node("Mul", ["x", "big"], ["y"])],
            "bomb", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [{{elements}}])], initializer=[shape, one])
        """, ct);

    /// <summary>A model whose weights live in an external file that is not there; ONNX Runtime names where it looked.</summary>
    public static Task<string> MissingExternalDataAsync(string folder, CancellationToken ct) => BuildAsync(folder, "external-data.onnx", """
        w = helper.make_tensor("w", TensorProto.FLOAT, [4], [0.0] * 4)
        w.ClearField("float_data")
        w.data_location = TensorProto.EXTERNAL
        for key, value in (("location", "../../weights.bin"), ("offset", "0"), ("length", "16")):
            entry = w.external_data.add()
            entry.key, entry.value = key, value
        graph = helper.make_graph(
            [helper.make_node("Add", ["x", "w"], ["y"])], "external",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])], initializer=[w])
        """, ct);

    private static async Task<string> BuildAsync(string folder, string name, string graph, CancellationToken ct)
    {
        if (!File.Exists(Python))
        {
            Assert.Skip($"{Python} with python3-onnx is needed to build {name} (apt-get install python3-onnx).");
        }

        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        var script = "import sys, onnx\nfrom onnx import helper, TensorProto\n" + graph.Replace("\r", "", StringComparison.Ordinal) +
            "\nmodel = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='hostile')\nmodel.ir_version = 8\n" +
            "open(sys.argv[1], 'wb').write(model.SerializeToString())\n";
        var start = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-");
        start.ArgumentList.Add(path);
        using var python = Process.Start(start)!;
        await python.StandardInput.WriteAsync(script);
        python.StandardInput.Close();
        var errors = await python.StandardError.ReadToEndAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        await python.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        Assert.True(python.ExitCode == 0 && File.Exists(path), $"Building {name} failed: {errors}");
        return path;
    }
}
