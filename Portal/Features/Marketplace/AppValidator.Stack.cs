using Portal.Features.Compose;
using Portal.Shared.Marketplace;

namespace Portal.Features.Marketplace;

/// <summary>A stack version's checks: its compose file parses and validates, and what it refers to exists.</summary>
public static partial class AppValidator
{
    public const int MaxComposeLength = 256 * 1024;

    private static string? StackProblem(AppVersion v)
    {
        var compose = v.Compose ?? "";
        if (compose.Length > MaxComposeLength)
        {
            return $"the compose file can be at most {MaxComposeLength / 1024} KiB.";
        }

        var declared = (v.Parameters ?? []).Where(p => p is not null).ToDictionary(p => p.Name ?? "", p => p.Default ?? "", StringComparer.Ordinal);
        if (ComposeSubstitution.Names(compose).FirstOrDefault(n => !declared.ContainsKey(n)) is { } missing)
        {
            return $"'${{{missing}}}' is used in the compose file but no parameter of that name is declared.";
        }

        try
        {
            // Checked with the defaults in: a parameter without one stands in as itself, so a value field still reads.
            var app = ComposeParser.Parse(compose, declared.Where(p => p.Value.Length > 0).ToDictionary());
            var files = v.ComposeFiles ?? new Dictionary<string, string>();
            return app.Services.SelectMany(s => s.EnvFiles.Select(f => (s.Name, File: f)))
                .FirstOrDefault(e => !files.ContainsKey(e.File) && !files.ContainsKey(e.File.TrimStart('.', '/'))) is { Name: not null } lacking
                ? $"service '{lacking.Name}' reads env_file '{lacking.File}', which was not uploaded beside the compose file."
                : null;
        }
        catch (ComposeException e)
        {
            return e.Message;
        }
    }
}
