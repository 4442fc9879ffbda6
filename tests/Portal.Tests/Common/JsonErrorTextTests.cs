using System.Text.Json;
using Portal.Common;
using Portal.Shared.Marketplace;

namespace Portal.Tests.Common;

public sealed class JsonErrorTextTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerOptions.Web);

    private static string ErrorOf(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<AppDefinition>(json, Web));
        return JsonErrorText.Describe(error);
    }

    [Fact]
    public void MissingComma_SaysLineColumnAndWhatIsMissing_WithoutSerializerJargon()
    {
        var text = ErrorOf("{\n  \"name\": \"Camera\"\n  \"publisher\": \"Acme\"\n}");

        Assert.StartsWith("Line 3, column 3", text);
        Assert.Contains("comma", text);
        Assert.DoesNotContain("BytePositionInLine", text);
        Assert.DoesNotContain("LineNumber", text);
    }

    [Fact]
    public void WrongType_NamesTheFieldAndTheJsonTypeExpected_NotADotNetType()
    {
        var text = ErrorOf("{ \"id\": \"camera\", \"name\": 5 }");

        Assert.Contains("(at name)", text);
        Assert.True(text.Contains("text in double quotes is expected", StringComparison.Ordinal), text);
        Assert.DoesNotContain("System.", text);
    }

    [Fact]
    public void ListExpected_SaysList()
    {
        var text = ErrorOf("{ \"id\": \"camera\", \"name\": \"Camera\", \"versions\": \"1.0\" }");

        Assert.Contains("versions", text);
        Assert.Contains("a list [ ... ] is expected", text);
    }

    [Fact]
    public void UnclosedObject_SaysWhatIsNotClosed()
    {
        Assert.Contains("before every { and [ is closed", ErrorOf("{ \"id\": \"camera\", \"versions\": [ { \"version\": \"1\" }"));
    }

    [Fact]
    public void UnquotedText_SaysTextNeedsQuotes()
    {
        Assert.Contains("text needs double quotes", ErrorOf("{ \"id\": camera }"));
    }

    [Fact]
    public void EmptyText_SaysItIsEmpty()
    {
        Assert.Equal("There is no JSON here; the text is empty.", JsonErrorText.Describe(Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<AppDefinition>("", Web))).Replace("Line 1, column 1: t", "T"));
    }

    [Fact]
    public void MissingRequiredField_NamesIt()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Required>("{}", Web));

        Assert.Contains("the required field 'name' is missing", JsonErrorText.Describe(error));
    }

    private sealed record Required(string Name)
    {
        [System.Text.Json.Serialization.JsonRequired]
        public string Name { get; init; } = Name;
    }
}
