using System.Text.Json;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Models;

namespace Portal.Tests.Common;

public sealed class EnumNameConverterTests
{
    private sealed record Holder(ModelStage Stage, DeviceStatus? Status = null);

    [Fact]
    public void Write_Enum_IsItsName()
    {
        var json = JsonSerializer.Serialize(new Holder(ModelStage.Production, DeviceStatus.Online), JsonSerializerOptions.Web);

        Assert.Equal("""{"stage":"Production","status":"Online"}""", json);
    }

    [Theory]
    [InlineData("""{"stage":"Production"}""")]
    [InlineData("""{"stage":"production"}""")]
    [InlineData("""{"stage":2}""")]
    public void Read_NameAnyCaseOrNumber_IsAccepted(string json) =>
        Assert.Equal(ModelStage.Production, JsonSerializer.Deserialize<Holder>(json, JsonSerializerOptions.Web)!.Stage);

    [Theory]
    [InlineData("""{"stage":"Prod"}""", "'Prod' is not a ModelStage")]
    [InlineData("""{"stage":99}""", "this number is not a ModelStage")]
    [InlineData("""{"stage":"2"}""", "'2' is not a ModelStage")]
    [InlineData("""{"stage":true}""", "is not a ModelStage")]
    public void Read_UnknownValue_IsRefusedWithTheNames(string json, string expected)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Holder>(json, JsonSerializerOptions.Web));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("Draft, Staging, Production, Archived", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_EveryContractEnum_KeepsItsValue()
    {
        var strategy = new RolloutStrategy(RolloutKind.Rolling, OnFailure: FailureAction.Rollback);

        var json = JsonSerializer.Serialize(strategy, JsonSerializerOptions.Web);

        Assert.Contains("\"kind\":\"Rolling\"", json, StringComparison.Ordinal);
        Assert.Contains("\"onFailure\":\"Rollback\"", json, StringComparison.Ordinal);
        Assert.Equal(strategy, JsonSerializer.Deserialize<RolloutStrategy>(json, JsonSerializerOptions.Web));
    }
}
