using Microsoft.Extensions.Options;
using Portal.Configuration;

namespace Portal.Tests.Configuration;

/// <summary>Every level of the Portal section is validated, not only the top (ValidateDataAnnotations stopped there).</summary>
public sealed class PortalOptionsValidatorTests
{
    private readonly PortalOptionsValidator validator = new();

    [Fact]
    public void Validate_Defaults_Succeed() => Assert.True(validator.Validate(null, new PortalOptions()).Succeeded);

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    [InlineData("SqlServer")]
    public void Validate_UnknownProvider_FailsNamingTheKey(string provider)
    {
        var options = new PortalOptions();
        options.Database.Provider = provider;

        var result = validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Portal:Database:Provider must be 'Sqlite' or 'Postgres'", result.FailureMessage, StringComparison.Ordinal);
    }

    public static TheoryData<string, Action<PortalOptions>> BadNestedValues => new()
    {
        { "LockoutMaxFailedAttempts", o => o.Security.LockoutMaxFailedAttempts = 0 },
        { "RawRetentionDays", o => o.Telemetry.RawRetentionDays = -5 },
        { "LeaseSeconds", o => o.Cluster.LeaseSeconds = 1 },
        { "AdminEmail", o => o.Bootstrap.AdminEmail = "not an e-mail" },
        { "SignInPerMinute", o => o.Security.RateLimits.SignInPerMinute = 0 },
        { "MaxUploadMb", o => o.Models.MaxUploadMb = 0 },
        { "RetentionDays", o => o.Audit.RetentionDays = -1 },
        { "MinFreeDiskMb", o => o.MinFreeDiskMb = -1 },
    };

    [Theory]
    [MemberData(nameof(BadNestedValues))]
    public void Validate_BadNestedValue_FailsNamingIt(string key, Action<PortalOptions> spoil)
    {
        var options = new PortalOptions();
        spoil(options);

        var result = validator.Validate(null, options);

        Assert.True(result.Failed, $"{key} was accepted");
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }
}
