using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>A bad value at any level of the Portal section stops the portal with a message naming it.</summary>
public sealed class StartupSettingsTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Portal:Database:Provider", "postgres", "Portal:Database:Provider must be 'Sqlite' or 'Postgres'")]
    [InlineData("Portal:Security:LockoutMaxFailedAttempts", "0", "LockoutMaxFailedAttempts")]
    [InlineData("Portal:Telemetry:RawRetentionDays", "-5", "RawRetentionDays")]
    [InlineData("Portal:Cluster:LeaseSeconds", "1", "LeaseSeconds")]
    public async Task Start_BadNestedSetting_Stops(string key, string value, string named)
    {
        await using var portal = new PortalFactory();
        portal.Settings[key] = value;

        var error = Record.Exception(() => portal.Server);

        Assert.NotNull(error);
        var validation = Assert.IsType<OptionsValidationException>(Flatten(error).OfType<OptionsValidationException>().FirstOrDefault(), exactMatch: false);
        Assert.Contains(named, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_DataDiskBelowThreshold_Is503AndSaysWhy()
    {
        await using var low = new PortalFactory();
        low.Settings["Portal:MinFreeDiskMb"] = "10000000";
        await using var fine = new PortalFactory();

        using var lowAnswer = await low.CreateClient().GetAsync(new Uri("/readyz", UriKind.Relative), ct);
        using var fineAnswer = await fine.CreateClient().GetAsync(new Uri("/readyz", UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, lowAnswer.StatusCode);
        var body = await lowAnswer.Content.ReadAsStringAsync(ct);
        Assert.Contains("data-disk", body, StringComparison.Ordinal);
        Assert.Contains("below Portal:MinFreeDiskMb", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fineAnswer.StatusCode);
    }

    [Fact]
    public async Task DefaultLogging_OutgoingHttpRequests_AreLoggedOnlyFromWarning()
    {
        await using var portal = new PortalFactory();

        var configuration = portal.Services.GetRequiredService<IConfiguration>();

        Assert.Equal("Warning", configuration["Logging:LogLevel:System.Net.Http.HttpClient"]);
    }

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
