using Portal.Features.Devices;
using Portal.Features.Marketplace;
using Portal.Features.Models;

namespace Portal.Tests.Common;

/// <summary>Patterns end in <c>\z</c>: <c>$</c> also matches before a final line break, which let <c>"evil\n"</c> through.</summary>
public sealed class PatternTests
{
    [Theory]
    [InlineData("evil\n")]
    [InlineData("evil\r\n")]
    [InlineData("ev\nil")]
    public void ModelName_WithLineBreak_IsRefused(string name) => Assert.NotNull(ModelNames.Problem(name));

    [Fact]
    public void ModelName_Plain_IsAccepted() => Assert.Null(ModelNames.Problem("line-3-defects"));

    [Fact]
    public void LabelKeyAndValue_WithTrailingLineBreak_AreRefused()
    {
        Assert.NotNull(Labels.Problem(new Dictionary<string, string> { ["evil\n"] = "x" }));
        Assert.NotNull(Labels.Problem(new Dictionary<string, string> { ["site"] = "madrid\n" }));
        Assert.Null(Labels.Problem(new Dictionary<string, string> { ["site"] = "madrid" }));
    }

    [Fact]
    public void AppDefinition_WithTrailingLineBreakInIdImageOrName_IsRefused()
    {
        var good = Example();

        Assert.Null(AppValidator.Problem(good));
        Assert.NotNull(AppValidator.Problem(good with { Id = "mosquitto\n" }));
        Assert.NotNull(AppValidator.Problem(good with { Name = "Mosquitto\u202E" }));
        Assert.NotNull(AppValidator.Problem(good with { Versions = [good.Versions[0] with { Image = "eclipse-mosquitto:2\n" }] }));
        Assert.NotNull(AppValidator.Problem(good with { Versions = [good.Versions[0] with { Version = "2.0\n" }] }));
    }

    private static Portal.Shared.Marketplace.AppDefinition Example() => new(
        "mosquitto", "Mosquitto", "Eclipse", "Messaging", "An MQTT broker.\nSmall.", null,
        [new Portal.Shared.Marketplace.AppVersion("2.0.18", "eclipse-mosquitto:2.0.18", ["mosquitto"])]);
}
