using Portal.Common;

namespace Portal.Tests.Common;

public sealed class PlainTextTests
{
    [Theory]
    [InlineData("line-3\0", "NUL")]
    [InlineData("evil\n", "a line break")]
    [InlineData("a\rb", "a carriage return")]
    [InlineData("press\u001b[31m", "U+001B")]
    [InlineData("admin\u202Egnp.exe", "U+202E")]
    [InlineData("\u2066hidden\u2069", "U+2066")]
    [InlineData("zero\u200Bwidth", "U+200B")]
    [InlineData("two\u2028lines", "U+2028")]
    [InlineData("c1\u0085control", "U+0085")]
    public void Problem_ControlOrDirectionCharacter_NamesIt(string name, string named)
    {
        var problem = PlainText.Problem(name, "group name");

        Assert.NotNull(problem);
        Assert.StartsWith("The group name contains", problem, StringComparison.Ordinal);
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Madrid line 3")]
    [InlineData("Fábrica de Sevilla — línea 2")]
    [InlineData("東京 第一工場")]
    [InlineData("خط الإنتاج")]
    [InlineData("team 👩‍💻 (zero-width joiner)")]
    [InlineData("")]
    [InlineData(null)]
    public void Problem_PrintableText_IsNull(string? name) => Assert.Null(PlainText.Problem(name, "group name"));

    [Fact]
    public void Problem_LoneSurrogate_IsRefused()
    {
        Assert.NotNull(PlainText.Problem("bad\uD800", "name"));
        Assert.NotNull(PlainText.Problem("\uDC00bad", "name"));
        Assert.Null(PlainText.Problem("ok \uD83D\uDE00", "name"));
    }

    [Fact]
    public void Problem_Multiline_AllowsLineBreaksAndTabsOnly()
    {
        Assert.Null(PlainText.Problem("first line\r\nsecond\tcolumn", "description", multiline: true));
        Assert.NotNull(PlainText.Problem("first\0", "description", multiline: true));
        Assert.NotNull(PlainText.Problem("first\u202E", "description", multiline: true));
    }

    [Fact]
    public void Neutralize_RefusedCharacters_BecomeReplacementCharacters()
    {
        Assert.Equal("fake\uFFFD2026-01-01 admin signed in", PlainText.Neutralize("fake\n2026-01-01 admin signed in"));
        Assert.Equal("a\uFFFDb\uFFFDc", PlainText.Neutralize("a\0b\u202Ec"));
        Assert.Equal("clean", PlainText.Neutralize("clean"));
        Assert.Null(PlainText.Neutralize(null));
    }

    [Fact]
    public void Attribute_RefusedEmail_GivesTheSameMessage()
    {
        var attribute = new PlainTextAttribute("email");
        var context = new System.ComponentModel.DataAnnotations.ValidationContext(new object()) { MemberName = "Email" };

        var result = attribute.GetValidationResult("admin@portal.local\0", context);

        Assert.Equal(PlainText.Problem("admin@portal.local\0", "email"), result?.ErrorMessage);
        Assert.Null(attribute.GetValidationResult("admin@portal.local", context));
    }
}
