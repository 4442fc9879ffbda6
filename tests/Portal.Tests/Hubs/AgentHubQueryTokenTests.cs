using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portal.Hubs;

namespace Portal.Tests.Hubs;

public sealed class AgentHubQueryTokenTests
{
    [Fact]
    public void MoveToHeader_HubRouteWithAccessToken_MovesItOutOfTheUrl()
    {
        var request = Request("/hubs/agent", "?id=abc&access_token=dev_1.secret%2Bpart");

        AgentHubQueryToken.MoveToHeader(request);

        Assert.Equal("Bearer dev_1.secret+part", request.Headers.Authorization.ToString());
        Assert.Equal("?id=abc", request.QueryString);
        Assert.DoesNotContain("secret", request.RawTarget, StringComparison.Ordinal);
    }

    [Fact]
    public void MoveToHeader_HeaderAlreadySet_KeepsTheHeaderAndStillDropsTheQuery()
    {
        var request = Request("/hubs/agent/negotiate", "?access_token=dev_2.other");
        request.Headers.Authorization = "Bearer dev_1.header";

        AgentHubQueryToken.MoveToHeader(request);

        Assert.Equal("Bearer dev_1.header", request.Headers.Authorization.ToString());
        Assert.Equal("", request.QueryString);
    }

    [Theory]
    [InlineData("/api/v1/devices")]
    [InlineData("/hubs/agentx")]
    public void MoveToHeader_OtherRoute_LeavesTheRequestAlone(string path)
    {
        var request = Request(path, "?access_token=pat_x");

        AgentHubQueryToken.MoveToHeader(request);

        Assert.Equal("", request.Headers.Authorization.ToString());
        Assert.Equal("?access_token=pat_x", request.QueryString);
    }

    private static HttpRequestFeature Request(string path, string query) =>
        new() { Path = path, QueryString = query, RawTarget = path + query, Headers = new HeaderDictionary() };
}
