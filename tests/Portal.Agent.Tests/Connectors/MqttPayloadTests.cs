using System.Text;
using Portal.Agent.Connectors.Mqtt;

namespace Portal.Agent.Tests.Connectors;

public sealed class MqttPayloadTests
{
    [Theory]
    [InlineData("21.5", null, 21.5)]
    [InlineData(" -3e2 ", "", -300)]
    [InlineData("true", null, 1)]
    [InlineData("""{"temp":21.5}""", "temp", 21.5)]
    [InlineData("""{"sensors":[{"v":1},{"v":"42.25"}]}""", "sensors[1].v", 42.25)]
    [InlineData("""{"a":{"b":[[0,7]]}}""", "$.a.b[0][1]", 7)]
    [InlineData("""{"on":false}""", "on", 0)]
    public void ReadNumber_RawOrAtAPath(string payload, string? path, double expected) =>
        Assert.Equal(expected, MqttPayload.ReadNumber(Encoding.UTF8.GetBytes(payload), path));

    [Theory]
    [InlineData("warm", null, "is not a number")]
    [InlineData("NaN", null, "is not a number")]
    [InlineData("{not json", "temp", "is not JSON")]
    [InlineData("""{"temp":21.5}""", "pressure", "nothing at 'pressure'")]
    [InlineData("""{"s":[1]}""", "s[3]", "nothing at 's[3]'")]
    [InlineData("""{"s":{"x":1}}""", "s", "is Object, not a number")]
    [InlineData("""{"s":[1]}""", "s[x]", "bad index")]
    public void ReadNumber_WhatIsNotANumber_IsRefusedSayingWhat(string payload, string? path, string why)
    {
        var refused = Assert.Throws<FormatException>(() => MqttPayload.ReadNumber(Encoding.UTF8.GetBytes(payload), path));

        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }
}
