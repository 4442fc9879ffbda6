using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Models;
using Portal.Shared.AgentReleases;

namespace Portal.Features.AgentReleases;

/// <summary>
/// Installing the agent from the portal: the install script (with the launcher and systemd unit of this portal's
/// sources written into it) and the build it downloads, the newest release for the machine's architecture, handed
/// out only against an enrollment token that could enroll a device now.
/// </summary>
public sealed class AgentInstaller(IDbContextFactory<PortalDbContext> dbFactory, ArtifactStore store, Portal.Features.Devices.EnrollmentService enrollment)
{
    public const string TokenHeader = "X-Enrollment-Token";

    private static readonly Lazy<string> ScriptText = new(() => Resource("install-agent.sh")
        .Replace("@@LAUNCHER@@", Resource("portal-agent-launch").TrimEnd('\n'), StringComparison.Ordinal)
        .Replace("@@UNIT@@", Resource("portal-agent.service").TrimEnd('\n'), StringComparison.Ordinal));

    public static string Script => ScriptText.Value;

    /// <summary>A build to send: its file, version and hash.</summary>
    public sealed record Build(string Path, string Version, string Sha256, string Architecture);

    public async Task<OperationResult<Build>> FindAsync(string architecture, string? version, string? token, CancellationToken ct)
    {
        if (!AgentReleaseManifest.Architectures.Contains(architecture))
        {
            return OperationResult<Build>.Fail(OperationOutcome.Invalid, $"There are agent builds for {string.Join(" and ", AgentReleaseManifest.Architectures)}, not '{Shorten(architecture)}'.");
        }

        if (string.IsNullOrEmpty(token))
        {
            return OperationResult<Build>.Fail(OperationOutcome.Unauthorized, $"Send an enrollment token in the {TokenHeader} header.");
        }

        if (await enrollment.TokenProblemAsync(token, ct) is { } problem)
        {
            return OperationResult<Build>.Fail(OperationOutcome.Unauthorized, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var releases = await db.AgentReleases.AsNoTracking().ToListAsync(ct);
        var release = string.IsNullOrEmpty(version)
            ? releases.Where(r => r.Files.Any(f => f.Architecture == architecture))
                .OrderByDescending(r => Portal.Features.Deployments.DeploymentChecks.AgentVersion(r.Version)).ThenByDescending(r => r.CreatedAt).FirstOrDefault()
            : releases.FirstOrDefault(r => r.Version == version);
        if (release is null)
        {
            return OperationResult<Build>.Fail(OperationOutcome.NotFound, string.IsNullOrEmpty(version)
                ? $"The portal has no agent release with a {architecture} build yet: an admin uploads one on the Agent releases page."
                : $"There is no agent release {Shorten(version)}.");
        }

        var file = release.Files.FirstOrDefault(f => f.Architecture == architecture);
        if (file is null || !store.Exists(file.Sha256))
        {
            return OperationResult<Build>.Fail(OperationOutcome.NotFound, $"Agent release {release.Version} has no {architecture} build.");
        }

        return OperationResult<Build>.Ok(new Build(store.PathOf(file.Sha256), release.Version, file.Sha256, architecture));
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The portal was built without its embedded {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
