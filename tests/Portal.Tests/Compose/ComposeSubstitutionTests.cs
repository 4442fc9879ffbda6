using Portal.Features.Compose;

namespace Portal.Tests.Compose;

/// <summary>A parameter is always one scalar: hostile values cannot add keys, lists or other placeholders.</summary>
public sealed class ComposeSubstitutionTests
{
    private const string Compose = """
        services:
          web:
            image: local/busybox:1
            command: httpd -f -p ${PORT}
            environment:
              GREETING: "${GREETING}"
              PLAIN: ${GREETING}
            labels:
              note: ${GREETING}
        """;

    private static ComposeService Web(string greeting, string port = "8080") =>
        ComposeParser.Parse(Compose, new Dictionary<string, string> { ["GREETING"] = greeting, ["PORT"] = port }).Services.Single();

    [Fact]
    public void Parse_ValueWithNewlineAndPrivileged_StaysOneScalar()
    {
        const string hostile = "hi\n    privileged: true\n  evil:\n    image: x";

        var web = Web(hostile);

        Assert.Equal(hostile, web.Environment["GREETING"]);
        Assert.Equal(hostile, web.Environment["PLAIN"]);
        Assert.Equal(hostile, web.Labels["note"]);
    }

    [Fact]
    public void Parse_ValueWithQuotesAndColons_StaysAsGiven()
    {
        const string hostile = "\"quoted\": 'single' ]} [x, y] # not a comment";

        Assert.Equal(hostile, Web(hostile).Environment["GREETING"]);
    }

    [Fact]
    public void Parse_ValueHoldingAnotherPlaceholder_IsNotSubstitutedAgain()
    {
        var web = Web("${PORT} and ${config:KEY}", "8080");

        Assert.Equal("${PORT} and ${config:KEY}", web.Environment["GREETING"]);
        Assert.Equal(["httpd", "-f", "-p", "8080"], web.Command);
    }

    [Fact]
    public void Parse_VeryLongValue_IsKeptWhole()
    {
        var hostile = string.Concat(Enumerable.Repeat("x: y\n", 50_000));

        Assert.Equal(hostile, Web(hostile).Environment["GREETING"]);
    }

    [Fact]
    public void Parse_ParameterGivingAnUnsafeValue_IsRefusedAfterSubstitution()
    {
        var refused = Assert.Throws<ComposeException>(() => ComposeParser.Parse(
            "services:\n  a:\n    image: x\n    privileged: ${P}\n", new Dictionary<string, string> { ["P"] = "true" }));

        Assert.Equal(4, refused.Line);
        Assert.Contains("privileged", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ParameterInAKey_IsNotSubstituted()
    {
        var app = ComposeParser.Parse(
            "services:\n  a:\n    image: x\n    environment:\n      ${NAME}: v\n", new Dictionary<string, string> { ["NAME"] = "privileged" });

        Assert.Equal("v", app.Services.Single().Environment["${NAME}"]);
    }

    [Fact]
    public void Parse_AnchoredValue_IsSubstitutedOnce()
    {
        var app = ComposeParser.Parse(
            "services:\n  a:\n    image: x\n    environment:\n      A: &v \"${X}\"\n      B: *v\n",
            new Dictionary<string, string> { ["X"] = "${X}${X}" });

        Assert.Equal("${X}${X}", app.Services.Single().Environment["A"]);
        Assert.Equal("${X}${X}", app.Services.Single().Environment["B"]);
    }
}
