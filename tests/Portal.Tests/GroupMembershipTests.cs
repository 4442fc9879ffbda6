using Portal.Features.Devices;

namespace Portal.Tests;

public sealed class GroupMembershipTests
{
    private static readonly Dictionary<string, string> Camera = new() { ["site"] = "madrid", ["role"] = "camera" };

    [Theory]
    [InlineData("site=madrid", true)]
    [InlineData("site=madrid,role=camera", true)]
    [InlineData("site=madrid,role=press", false)]
    [InlineData("site=lisbon", false)]
    [InlineData("", false)]
    public void Matches_Selector_NeedsEveryLabel(string selector, bool expected)
    {
        var parsed = selector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

        Assert.Equal(expected, GroupMembership.Matches(parsed, Camera));
    }
}
