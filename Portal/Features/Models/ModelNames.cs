using System.Text.RegularExpressions;

namespace Portal.Features.Models;

/// <summary>A model's name is also its URL on devices (<c>/v2/models/{name}</c>): lower-case letters, digits and dashes.</summary>
public static partial class ModelNames
{
    public static string? Problem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Give the model a name."
        : !Pattern().IsMatch(name) ? $"'{(name.Length > 70 ? name[..70] + "…" : name)}' is not a valid model name: use 1–64 lower-case letters, digits and dashes, starting with a letter or digit (it becomes the URL /v2/models/{{name}} on devices)."
        : null;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}\\z")]
    private static partial Regex Pattern();
}
