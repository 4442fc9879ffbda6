using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;

namespace Portal.Features.Marketplace;

/// <summary>An app's part of the deploy dialog: which version, with which parameters.</summary>
public sealed class AppDeployDraft : DeployDraft
{
    /// <summary>Starts on the newest version that is not flagged (see <see cref="VersionFlags.Preselect"/>).</summary>
    public AppDeployDraft(AppDto app, IReadOnlyDictionary<string, string>? flags = null)
    {
        App = app;
        Flags = flags ?? new Dictionary<string, string>();
        ChooseVersion(VersionFlags.Preselect([.. app.Versions.Select(v => v.Version)], Flags) ?? "");
    }

    public AppDto App { get; }

    /// <summary>Versions that failed a rollout or were rolled back: not preselected, and marked in the list.</summary>
    public IReadOnlyDictionary<string, string> Flags { get; }

    public string Version { get; private set; } = "";

    /// <summary>The parameter values as typed, by name; empty ones are not sent.</summary>
    public Dictionary<string, string> Values { get; private set; } = [];

    public IReadOnlyList<AppParameter> Parameters => App.Versions.FirstOrDefault(v => v.Version == Version)?.Parameters ?? [];

    public override Type Fields => typeof(AppDeployFields);

    public override string SuggestedName => $"{App.Name} {Version}";

    /// <summary>Keeps what was typed for parameters the new version also has; prefills the others with their defaults.</summary>
    public void ChooseVersion(string version)
    {
        Version = version;
        Values = Parameters.ToDictionary(p => p.Name, p => Values.GetValueOrDefault(p.Name) ?? p.Default ?? "");
    }

    public override CreateDeploymentRequest ApplyTo(CreateDeploymentRequest request) => request with
    {
        AppId = App.Id,
        Version = Version,
        Parameters = Values.Where(v => v.Value.Length > 0).ToDictionary(v => v.Key, v => v.Value),
    };

    public override string? Missing() =>
        Parameters.FirstOrDefault(p => p.Required && string.IsNullOrWhiteSpace(Values.GetValueOrDefault(p.Name))) is { } missing
            ? $"{missing.Name} is required."
            : null;
}
