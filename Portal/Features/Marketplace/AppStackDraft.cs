using Portal.Features.Compose;
using Portal.Shared.Marketplace;

namespace Portal.Features.Marketplace;

/// <summary>
/// The stack half of the app editor. The compose file and its config files are held here rather than as escaped text
/// inside the JSON, and go into the definition's first (newest) version at save. The preview parses the file as
/// saving will (parameters stand in with their defaults), so the admin sees the services, or the refused line, first.
/// </summary>
public sealed class AppStackDraft
{
    public ComposeBundle? Bundle { get; private set; }

    /// <summary>The services as parsed, when the file is good.</summary>
    public ComposeApp? Parsed { get; private set; }

    /// <summary>Why the upload or the compose file is refused, with the line when the parser names one.</summary>
    public string? Problem { get; private set; }

    /// <summary>Takes the first version's stack out of <paramref name="definition"/>; null when that version is a container.</summary>
    public static (AppDefinition Definition, AppStackDraft? Stack) Split(AppDefinition definition)
    {
        if (definition.Versions is not [{ IsStack: true } first, ..])
        {
            return (definition, null);
        }

        var draft = new AppStackDraft();
        draft.Use(new ComposeBundle("compose.yaml", first.Compose!, first.ComposeFiles ?? new Dictionary<string, string>()), first.Parameters);
        return (definition with { Versions = [first with { Compose = null, ComposeFiles = null }, .. definition.Versions.Skip(1)] }, draft);
    }

    /// <summary>Reads an upload (a compose file or a zip); a refused upload keeps nothing and says why.</summary>
    public void Load(string fileName, byte[] content, IReadOnlyList<AppParameter>? parameters)
    {
        try
        {
            Use(ComposeArchive.Read(fileName, content), parameters);
        }
        catch (InvalidDataException e)
        {
            (Bundle, Parsed, Problem) = (null, null, e.Message);
        }
    }

    /// <summary>Puts the stack into the first version: its compose file and config files, and no image of its own.</summary>
    public AppDefinition Merge(AppDefinition definition) =>
        Bundle is null || definition.Versions is not [var first, ..]
            ? definition
            : definition with { Versions = [first with { Image = "", Compose = Bundle.Compose, ComposeFiles = Bundle.Files }, .. definition.Versions.Skip(1)] };

    /// <summary>Parses a compose file as saving checks it: parameters with a default stand in with it. Throws <see cref="ComposeException"/>.</summary>
    public static ComposeApp Parse(string compose, IReadOnlyList<AppParameter>? parameters)
    {
        var defaults = (parameters ?? []).Where(p => p is { Name: not null, Default.Length: > 0 })
            .GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().Default!, StringComparer.Ordinal);
        return ComposeParser.Parse(compose, defaults);
    }

    /// <summary>A stack version's services as the versions table lists them; null when its compose file cannot be read.</summary>
    public static ComposeApp? TryParse(AppVersion version)
    {
        try
        {
            return version.Compose is null ? null : Parse(version.Compose, version.Parameters);
        }
        catch (ComposeException)
        {
            return null;
        }
    }

    private void Use(ComposeBundle bundle, IReadOnlyList<AppParameter>? parameters)
    {
        Bundle = bundle;
        try
        {
            (Parsed, Problem) = (Parse(bundle.Compose, parameters), null);
        }
        catch (ComposeException e)
        {
            (Parsed, Problem) = (null, $"{bundle.ComposeFileName}: {e.Message}");
        }
    }
}
