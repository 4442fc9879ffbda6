using System.Text.Json;
using Portal.Features.Marketplace;
using Portal.Shared.Marketplace;

namespace Portal.Tests.Marketplace;

public sealed class MarketplaceCatalogTests
{
    public static TheoryData<string> CatalogFiles()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "marketplace");
        return new TheoryData<string>(Directory.EnumerateFiles(folder, "*.json").Select(Path.GetFileName).Order()!);
    }

    [Theory]
    [MemberData(nameof(CatalogFiles))]
    public void ShippedApp_IsValidAndHasItsIcon(string file)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "marketplace");
        var app = JsonSerializer.Deserialize<AppDefinition>(File.ReadAllText(Path.Combine(folder, file)), JsonSerializerOptions.Web);

        Assert.Null(AppValidator.Problem(app));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), app!.Id);
        Assert.True(File.Exists(Path.Combine(folder, app.Icon!)), $"{app.Icon} is missing");
    }

    [Fact]
    public void ShippedCatalog_HasAtLeastSixApps() => Assert.True(CatalogFiles().Count >= 6);

    /// <summary>A certified app that cannot run is a defect: the catalog once named images nobody published.</summary>
    [Theory]
    [MemberData(nameof(CatalogFiles))]
    public void ShippedApp_NamesNoInventedImage(string file)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "marketplace", file));

        Assert.DoesNotContain("ghcr.io/edgeportal", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("node-red-mqtt.json", "mosquitto,node-red")]
    [InlineData("tig-monitoring.json", "grafana,influxdb,telegraf")]
    public void ShippedStack_ParsesIntoItsServices(string file, string services)
    {
        var app = JsonSerializer.Deserialize<AppDefinition>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "marketplace", file)), JsonSerializerOptions.Web)!;

        var version = Assert.Single(app.Versions);
        Assert.True(version.IsStack);
        var names = Portal.Features.Compose.ComposeParser.Parse(version.Compose!).Services.Select(s => s.Name).Order(StringComparer.Ordinal);
        Assert.Equal(services, string.Join(',', names));
    }

    [Theory]
    [InlineData("Bad Id", "The id must be")]
    [InlineData("ok", null)]
    public void Problem_Id_MustBeASlug(string id, string? expected)
    {
        var app = new AppDefinition(id, "Name", "Pub", "Cat", "", null, [new AppVersion("1", "local/busybox:1")]);

        var problem = AppValidator.Problem(app);

        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("amd64", null)]
    [InlineData("linux/arm/v7", null)]
    [InlineData("amd64; rm -rf /", "Version '1': architectures are Docker platform names")]
    [InlineData("", "Version '1': architectures are Docker platform names")]
    public void Problem_Architectures_AreDockerPlatformNames(string architecture, string? expected)
    {
        var app = new AppDefinition("x", "Name", "Pub", "Cat", "", null, [new AppVersion("1", "local/busybox:1", Architectures: [architecture])]);

        var problem = AppValidator.Problem(app);

        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Problem_NegativeImageSize_IsRejected()
    {
        var app = new AppDefinition("x", "Name", "Pub", "Cat", "", null, [new AppVersion("1", "local/busybox:1", ImageSizeBytes: -1)]);

        Assert.Equal("Version '1': imageSizeBytes cannot be negative.", AppValidator.Problem(app));
    }

    [Fact]
    public void Problem_UndeclaredPlaceholder_IsNamed()
    {
        var app = new AppDefinition("x", "Name", "Pub", "Cat", "", null, [new AppVersion("1", "local/busybox:1", ["run", "${MISSING}"])]);

        Assert.Equal("Version '1': '${MISSING}' is used but no parameter of that name is declared.", AppValidator.Problem(app));
    }

    [Fact]
    public void Problem_NotAnImageReference_IsRejected()
    {
        var app = new AppDefinition("x", "Name", "Pub", "Cat", "", null, [new AppVersion("1", "Not An Image!")]);

        Assert.Contains("is not a Docker image reference", AppValidator.Problem(app), StringComparison.Ordinal);
    }
}
