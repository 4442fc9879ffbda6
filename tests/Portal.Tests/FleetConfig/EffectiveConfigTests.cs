using Portal.Features.FleetConfig;
using Portal.Shared.Config;

namespace Portal.Tests.FleetConfig;

public sealed class EffectiveConfigTests
{
    [Fact]
    public void Merge_LaterLayersOverride_EachValueKeepsItsSource()
    {
        var fleet = new ConfigSetDto(ConfigLevel.Fleet, null, new Dictionary<string, string> { ["A"] = "f", ["B"] = "f" }, new Dictionary<string, string> { ["x.conf"] = "f" }, null);
        var group = new ConfigSetDto(ConfigLevel.Group, "g1", new Dictionary<string, string> { ["B"] = "g" }, new Dictionary<string, string>(), null);
        var device = new ConfigSetDto(ConfigLevel.Device, "d1", new Dictionary<string, string> { ["C"] = "d" }, new Dictionary<string, string> { ["x.conf"] = "d" }, null);

        var merged = EffectiveConfig.Merge("d1", [new(fleet, "fleet"), new(group, "group g"), new(device, "device d")]);

        Assert.Equal(["A=f from fleet", "B=g from group g", "C=d from device d"], merged.Values.Select(v => $"{v.Key}={v.Value} from {v.Source}"));
        Assert.Equal(("d", ConfigLevel.Device, "d1"), (merged.Files.Single().Value, merged.Files.Single().Level, merged.Files.Single().OwnerId));
        Assert.Equal(["fleet", "group g", "device d"], merged.Order);
    }

    [Fact]
    public void Diff_NamesAddedChangedRemovedKeysAndFiles_NeverFileText()
    {
        var diff = ConfigDiff.Describe(
            new Dictionary<string, string> { ["KEEP"] = "1", ["OLD"] = "x", ["CHANGE"] = "a" },
            new Dictionary<string, string> { ["KEEP"] = "1", ["NEW"] = "y", ["CHANGE"] = "b" },
            new Dictionary<string, string> { ["gone.conf"] = "secret-ish text" },
            new Dictionary<string, string> { ["new.conf"] = "more text" });

        Assert.Equal("+NEW=y; ~CHANGE: a → b; -OLD; +file new.conf; -file gone.conf", diff);
        Assert.Equal("no change", ConfigDiff.Describe(new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("1STARTS_WITH_DIGIT")]
    [InlineData("")]
    public void KeyProblem_BadKey_IsRefused(string key) => Assert.NotNull(ConfigRules.KeyProblem(key, "key"));

    [Theory]
    [InlineData("../passwd")]
    [InlineData(".hidden")]
    [InlineData("dir/file")]
    public void FileNameProblem_PathsAndDotFiles_AreRefused(string name) => Assert.NotNull(ConfigRules.FileNameProblem(name));
}
