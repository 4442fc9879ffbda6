using Bunit;
using MudBlazor.Services;
using Portal.Features.Models;
using Portal.Shared.Models;

namespace Portal.Tests.Models;

public sealed class SignatureTableTests : PortalBunitContext
{
    public SignatureTableTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void SignatureTable_InputsAndOutputs_ShowsNamesDatatypesAndReadableShapes()
    {
        var signature = new ModelSignature(
            [new TensorSignature("window", "FP32", [-1, 256], ["batch", ""])],
            [new TensorSignature("score", "FP32", [-1, 1], ["batch", ""]), new TensorSignature("label", "INT64", [-1, -1], ["", ""]), new TensorSignature("bias", "FP64", [], [])],
            new Dictionary<string, long> { [""] = 13 }, 7, "edgeportal-samples", "1.0", "vibration", "", new Dictionary<string, string>());

        var table = Render<SignatureTable>(p => p.Add(x => x.Signature, signature));

        var inputs = table.FindAll("#inputs-table tr.tensor-row");
        Assert.Equal("window", Assert.Single(inputs).QuerySelector(".tensor-name")!.TextContent.Trim());
        Assert.Equal("FP32", inputs[0].QuerySelector(".tensor-datatype")!.TextContent.Trim());
        Assert.Equal("batch × 256", inputs[0].QuerySelector(".tensor-shape")!.TextContent.Trim());
        var outputs = table.FindAll("#outputs-table tr.tensor-row");
        Assert.Equal(["score", "label", "bias"], outputs.Select(r => r.QuerySelector(".tensor-name")!.TextContent.Trim()));
        Assert.Equal(["FP32", "INT64", "FP64"], outputs.Select(r => r.QuerySelector(".tensor-datatype")!.TextContent.Trim()));
        Assert.Equal(["batch × 1", "? × ?", "scalar"], outputs.Select(r => r.QuerySelector(".tensor-shape")!.TextContent.Trim()));
    }
}
