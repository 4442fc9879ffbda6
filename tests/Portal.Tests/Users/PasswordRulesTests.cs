using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Portal.Features.Users;

namespace Portal.Tests.Users;

public sealed class PasswordRulesTests : PortalBunitContext
{
    [Fact]
    public void Describe_IdentityDefaultsWithTwelveCharacters_ListsEveryRule() =>
        Assert.Equal("At least 12 characters, with an upper-case letter, a lower-case letter, a digit and a symbol such as ! or #.",
            PasswordRules.Describe(new PasswordOptions { RequiredLength = 12 }));

    [Fact]
    public void Describe_OnlyLengthAndDigitsAndUniqueCharacters_SaysJustThose() =>
        Assert.Equal("At least 8 characters, with a digit; 4 different characters or more.",
            PasswordRules.Describe(new PasswordOptions
            {
                RequiredLength = 8, RequireUppercase = false, RequireLowercase = false, RequireNonAlphanumeric = false, RequiredUniqueChars = 4,
            }));

    [Fact]
    public void PasswordField_BeforeAnyInput_ShowsTheRulesThenItsOwnHelp()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.Configure<IdentityOptions>(o => o.Password.RequiredLength = 14);

        var field = Render<PasswordField>(p => p.Add(x => x.HelperText, "Share it with the user."));

        Assert.Contains("At least 14 characters, with an upper-case letter, a lower-case letter, a digit and a symbol such as ! or #. Share it with the user.",
            field.Find(".mud-input-helper-text").TextContent, StringComparison.Ordinal);
    }
}
