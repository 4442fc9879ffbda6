using Microsoft.AspNetCore.Identity;

namespace Portal.Features.Users;

/// <summary>The password rules in words, shown where a password is set, before anyone has failed them.</summary>
public static class PasswordRules
{
    public static string Describe(PasswordOptions rules)
    {
        var kinds = new List<string>();
        if (rules.RequireUppercase)
        {
            kinds.Add("an upper-case letter");
        }

        if (rules.RequireLowercase)
        {
            kinds.Add("a lower-case letter");
        }

        if (rules.RequireDigit)
        {
            kinds.Add("a digit");
        }

        if (rules.RequireNonAlphanumeric)
        {
            kinds.Add("a symbol such as ! or #");
        }

        var text = $"At least {rules.RequiredLength} characters";
        text += kinds.Count switch
        {
            0 => "",
            1 => $", with {kinds[0]}",
            _ => $", with {string.Join(", ", kinds.Take(kinds.Count - 1))} and {kinds[^1]}",
        };
        return rules.RequiredUniqueChars > 1 ? $"{text}; {rules.RequiredUniqueChars} different characters or more." : text + ".";
    }
}
