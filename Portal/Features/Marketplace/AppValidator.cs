using System.Text.RegularExpressions;
using Portal.Common;
using Portal.Shared.Marketplace;

namespace Portal.Features.Marketplace;

/// <summary>Pure: what is wrong with an app definition, in one sentence an admin can act on; null when it is fine.</summary>
public static partial class AppValidator
{
    public static readonly string[] RestartPolicies = ["no", "always", "unless-stopped", "on-failure"];
    public static readonly string[] NetworkModes = ["host", "none", "bridge"];
    public static readonly string[] ParameterTypes = ["string", "int", "number", "bool"];

    public static string? Problem(AppDefinition? app)
    {
        if (app is null)
        {
            return "Send the app as JSON: id, name, publisher, category, description, icon and versions.";
        }

        return !Slug().IsMatch(app.Id ?? "") ? "The id must be 1 to 64 lowercase letters, digits or dashes, starting with a letter or digit (for example 'mosquitto')."
            : Length(app.Name, 1, 100) ? "Give the app a name of 1 to 100 characters."
            : Length(app.Publisher, 1, 100) ? "Give the publisher's name, 1 to 100 characters."
            : Length(app.Category, 1, 50) ? "Give a category of 1 to 50 characters (for example 'Messaging')."
            : Length(app.Description, 0, 4000) ? "The description can be at most 4000 characters."
            : (app.Icon?.Length ?? 0) > 500 ? "The icon reference can be at most 500 characters."
            : (PlainText.Problem(app.Name, "app name") ?? PlainText.Problem(app.Publisher, "publisher") ?? PlainText.Problem(app.Category, "category")
                ?? PlainText.Problem(app.Icon, "icon reference") ?? PlainText.Problem(app.Description, "description", multiline: true)) is { } text ? text
            : app.Versions is null || app.Versions.Count == 0 ? "An app needs at least one version."
            : app.Versions.GroupBy(v => v?.Version).FirstOrDefault(g => g.Count() > 1) is { } dup ? $"Version '{dup.Key}' appears twice."
            : app.Versions.Select(VersionProblem).FirstOrDefault(p => p is not null);
    }

    public static string? VersionProblem(AppVersion? v)
    {
        if (v is null)
        {
            return "A version is empty.";
        }

        var name = $"Version '{v.Version}'";
        if (v.IsStack && StackProblem(v) is { } stack)
        {
            return $"{name}: {stack}";
        }

        if (v.IsStack && v.LiveConfig)
        {
            return $"{name}: 'liveConfig' is for single-container apps; a stack's services are recreated when their config files change.";
        }

        var parameters = v.Parameters ?? [];
        var declared = parameters.Select(p => p?.Name).ToHashSet();
        var referenced = (v.Command ?? []).Concat(v.Environment?.Values ?? [])
            .SelectMany(text => Placeholder().Matches(text ?? "").Select(m => m.Groups[1].Value))
            .FirstOrDefault(p => !declared.Contains(p));
        return !VersionName().IsMatch(v.Version ?? "") ? "Each version needs a version name of 1 to 64 letters, digits, dots, dashes or underscores (for example '2.0.18')."
            : !v.IsStack && !ImageReference().IsMatch(v.Image ?? "") ? $"{name}: '{v.Image}' is not a Docker image reference (for example 'eclipse-mosquitto:2.0.18')."
            : (v.Command ?? []).Any(c => c is null || c.Length > 4000) ? $"{name}: a command argument is empty or longer than 4000 characters."
            : (v.Environment ?? new Dictionary<string, string>()).Keys.FirstOrDefault(k => !EnvName().IsMatch(k)) is { } env ? $"{name}: '{env}' is not an environment variable name."
            : (v.Ports ?? []).FirstOrDefault(p => p is null || p.ContainerPort is < 1 or > 65535 || p.HostPort is < 1 or > 65535 || p.Protocol is not ("tcp" or "udp")) is { } port ? $"{name}: ports must be between 1 and 65535, tcp or udp ({port?.ContainerPort})."
            : (v.Volumes ?? []).FirstOrDefault(m => m is null || !VolumeName().IsMatch(m.Name ?? "") || !(m.ContainerPath ?? "").StartsWith('/') || m.ContainerPath!.Contains("..", StringComparison.Ordinal)) is { } vol ? $"{name}: volume '{vol?.Name}' needs a name of letters, digits, dots, dashes or underscores and an absolute container path."
            : !RestartPolicies.Contains(v.RestartPolicy) ? $"{name}: the restart policy must be one of {string.Join(", ", RestartPolicies)}."
            : !NetworkModes.Contains(v.NetworkMode) ? $"{name}: the network mode must be one of {string.Join(", ", NetworkModes)}."
            : v.Limits is { } l && (l.CpuCores < 0 || l.CpuCores > 256 || l.MemoryBytes < 0) ? $"{name}: limits cannot be negative."
            : (v.Architectures?.Count > 16 || v.Architectures?.Any(arch => !Architecture().IsMatch(arch ?? "")) == true)
                ? $"{name}: architectures are Docker platform names such as amd64, arm64 or linux/arm/v7 (at most 16)."
            : v.ImageSizeBytes is < 0 ? $"{name}: imageSizeBytes cannot be negative."
            : parameters.FirstOrDefault(p => p is null || !EnvName().IsMatch(p.Name ?? "") || !ParameterTypes.Contains(p.Type)) is { } bad ? $"{name}: parameter '{bad?.Name}' needs a name like SITE_ID and a type of {string.Join(", ", ParameterTypes)}."
            : parameters.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } twice ? $"{name}: parameter '{twice.Key}' appears twice."
            : referenced is not null ? $"{name}: '${{{referenced}}}' is used but no parameter of that name is declared."
            : (v.ReleaseNotes?.Length ?? 0) > 4000 ? $"{name}: release notes can be at most 4000 characters."
            : (PlainText.Problem(v.ReleaseNotes, "release notes", multiline: true)
                ?? (v.Command ?? []).Concat(v.Environment?.Values ?? []).Select(c => PlainText.Problem(c, "command or environment value")).FirstOrDefault(p => p is not null)) is { } text ? $"{name}: {text}"
            : null;
    }

    private static bool Length(string? text, int min, int max) => text is null ? min > 0 : text.Trim().Length < min || text.Length > max;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}\\z")]
    private static partial Regex Slug();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z")]
    private static partial Regex VersionName();

    [GeneratedRegex(@"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[a-f0-9]{64})?\z")]
    private static partial Regex ImageReference();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}\\z")]
    private static partial Regex EnvName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\\z")]
    private static partial Regex VolumeName();

    [GeneratedRegex("^[a-z0-9][a-z0-9_/.-]{0,31}\\z", RegexOptions.IgnoreCase)]
    private static partial Regex Architecture();

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex Placeholder();
}
