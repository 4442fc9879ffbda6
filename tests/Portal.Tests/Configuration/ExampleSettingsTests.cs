using System.Reflection;
using Microsoft.Extensions.Configuration;
using Portal.Configuration;

namespace Portal.Tests.Configuration;

public sealed class ExampleSettingsTests
{
    private static readonly IConfigurationRoot Example = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(RepositoryRoot(), "appsettings.example.json"), optional: false)
        .Build();

    [Fact]
    public void Example_EveryPortalOption_IsListed()
    {
        var missing = Keys(typeof(PortalOptions), PortalOptions.SectionName)
            .Where(key => !Example.GetSection(key).Exists() && Example[key] is null)
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Example_BindsToValidDefaults()
    {
        var options = Example.GetSection(PortalOptions.SectionName).Get<PortalOptions>()!;
        var defaults = new PortalOptions();

        Assert.Equal(defaults.DataDirectory, options.DataDirectory);
        Assert.Equal(defaults.Bootstrap.AdminEmail, options.Bootstrap.AdminEmail);
        Assert.Equal(defaults.Security.LockoutMaxFailedAttempts, options.Security.LockoutMaxFailedAttempts);
        Assert.Equal(defaults.Database.Provider, options.Database.Provider);
    }

    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var t = property.PropertyType;
            if (t.IsClass && t != typeof(string))
            {
                foreach (var nested in Keys(t, key))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return key;
            }
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
    }
}
