using Portal.Features.Deployments;
using Portal.Shared.Marketplace;

namespace Portal.Tests.Common;

public sealed class ParameterTextTests
{
    private static readonly AppParameter[] Schema = [new("GREETING", "string")];

    [Fact]
    public void Bind_ValueWithNul_IsRefused()
    {
        var (_, problem) = ParameterBinder.Bind(Schema, new Dictionary<string, string> { ["GREETING"] = "hi\0there" });

        Assert.Equal("The parameter 'GREETING' contains an invisible or control character (NUL at position 3); use printable text, line breaks and tabs only.", problem);
    }

    [Fact]
    public void Bind_MultilineValue_IsAccepted()
    {
        var (values, problem) = ParameterBinder.Bind(Schema, new Dictionary<string, string> { ["GREETING"] = "line one\nline two" });

        Assert.Null(problem);
        Assert.Equal("line one\nline two", values["GREETING"]);
    }
}
