using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portal.Shared.AgentReleases;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// The install line of the enrollment page, for real: the portal's /install/agent.sh run by sh (under a --prefix, without
/// systemd) downloads the newest release build with the enrollment token, checks its SHA-256 and lays out
/// /opt/portal-agent, the data directory, agent.env and the unit; then the installed launcher, started as the unit starts
/// it, enrolls the device with the token file and reports the installed version. The build's endpoint refuses without a
/// usable token or for an unknown architecture, with problem details.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentInstallTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string root = Path.Combine(Path.GetTempPath(), "portal-agent-install-" + Guid.NewGuid().ToString("N"));
    private readonly PortalFactory portal = new();
    private Uri address = default!;
    private HttpClient admin = default!;
    private AgentProcess? launcher;
    private string? deviceId;

    public async ValueTask InitializeAsync()
    {
        DockerEngine.RequireEndpoint();
        if (AgentReleaseManifest.CurrentArchitecture() != "linux-x64")
        {
            Assert.Skip("The release build here is published for linux-x64 only.");
        }

        Directory.CreateDirectory(root);
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task InstallScript_InstallsTheNewestRelease_AndTheInstalledLauncherEnrollsTheDevice()
    {
        var build = await AgentBuilds.PublishAsync("0.5.1", ct);
        await UploadAsync("0.5.1", build);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "installed", ct);
        var tokenFile = Path.Combine(root, "portal-enroll");
        await File.WriteAllTextAsync(tokenFile, token + "\n", ct);
        var prefix = Path.Combine(root, "device");
        var portalUrl = address.ToString().TrimEnd('/');

        var (code, output) = await RunAsync("/bin/sh", "-c",
            $"curl -fsSL {portalUrl}{ApiRoutes.InstallScript} | sh -s -- --portal {portalUrl} --token-file '{tokenFile}' --prefix '{prefix}' --name press-7 --no-start");

        Assert.True(code == 0, output);
        Assert.Contains("agent 0.5.1 installed", output, StringComparison.Ordinal);
        var home = Path.Combine(prefix, "opt", "portal-agent");
        var installed = Path.Combine(home, "versions", "0.5.1", "portal-agent");
        Assert.Equal(await File.ReadAllBytesAsync(build, ct), await File.ReadAllBytesAsync(installed, ct));
        Assert.Equal(installed, new FileInfo(Path.Combine(home, "current")).LinkTarget);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(AgentBuilds.RepositoryRoot(), "Portal.Agent", "deploy", "portal-agent-launch"), ct),
            await File.ReadAllTextAsync(Path.Combine(home, "portal-agent-launch"), ct));
        Assert.True(File.GetUnixFileMode(Path.Combine(home, "portal-agent-launch")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(AgentBuilds.RepositoryRoot(), "Portal.Agent", "deploy", "portal-agent.service"), ct),
            await File.ReadAllTextAsync(Path.Combine(prefix, "etc", "systemd", "system", "portal-agent.service"), ct));
        var data = Path.Combine(prefix, "var", "lib", "portal-agent");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        Assert.Equal(token, (await File.ReadAllTextAsync(Path.Combine(data, "enrollment-token"), ct)).Trim());
        Assert.False(File.Exists(tokenFile));
        var env = (await File.ReadAllLinesAsync(Path.Combine(prefix, "etc", "portal-agent", "agent.env"), ct))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(portalUrl, env["PORTAL_URL"]);
        Assert.Equal("press-7", env["Agent__Name"]);

        // As the unit starts it: the launcher from PORTAL_AGENT_HOME, the settings of agent.env, the unit's data directory.
        var environment = new Dictionary<string, string>(env.Where(kv => kv.Key != "PORTAL_URL"))
        {
            ["PORTAL_AGENT_HOME"] = home,
            ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(root, "bundle"),
            ["Agent__DockerEndpoint"] = DockerEngine.RequireEndpoint(),
            ["Agent__Inference__Port"] = AgentProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        launcher = AgentProcess.StartCommand("/bin/sh", environment, Path.Combine(home, "portal-agent-launch"), "--portal", env["PORTAL_URL"], "--data-dir", data);
        deviceId = await launcher.WaitUntilOnlineAsync(admin, "press-7", ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await admin.GetFromJsonAsync<DeviceDto>(ApiRoutes.Device(deviceId), ct))!.Inventory?.AgentVersion != "0.5.1")
        {
            Assert.True(DateTime.UtcNow < deadline, launcher.Output);
            await Task.Delay(250, ct);
        }

        // Once enrolled, the script refuses to install over it.
        await File.WriteAllTextAsync(tokenFile, token + "\n", ct);
        var (again, refusal) = await RunAsync("/bin/sh", "-c", $"curl -fsSL {portalUrl}{ApiRoutes.InstallScript} | sh -s -- --portal {portalUrl} --token-file '{tokenFile}' --prefix '{prefix}' --no-start");
        Assert.NotEqual(0, again);
        Assert.Contains("enrolled already", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildEndpoint_RefusesWithoutAUsableToken_OrForAnUnknownArchitecture_AndTheScriptSaysWhy()
    {
        using var anonymous = portal.CreateClient();
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "install-refusals", ct);
        (string Arch, string? Token, HttpStatusCode Status, string Detail)[] cases =
        [
            ("linux-riscv64", token, HttpStatusCode.BadRequest, "linux-x64 and linux-arm64"),
            ("linux-x64", null, HttpStatusCode.Unauthorized, "X-Enrollment-Token"),
            ("linux-x64", "enr_not-a-real-one", HttpStatusCode.Unauthorized, "does not know this enrollment token"),
            ("linux-x64", token, HttpStatusCode.NotFound, "no agent release"),
        ];
        foreach (var (arch, sent, status, detail) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ApiRoutes.AgentInstallBuild(arch));
            if (sent is not null)
            {
                request.Headers.Add("X-Enrollment-Token", sent);
            }

            using var response = await anonymous.SendAsync(request, ct);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(detail, await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        // The script passes the portal's reason on, and installs nothing.
        var tokenFile = Path.Combine(root, "portal-enroll");
        await File.WriteAllTextAsync(tokenFile, token + "\n", ct);
        var prefix = Path.Combine(root, "device");
        var portalUrl = address.ToString().TrimEnd('/');
        var (code, output) = await RunAsync("/bin/sh", "-c",
            $"curl -fsSL {portalUrl}{ApiRoutes.InstallScript} | sh -s -- --portal {portalUrl} --token-file '{tokenFile}' --prefix '{prefix}' --no-start");
        Assert.NotEqual(0, code);
        Assert.Contains("HTTP 404", output, StringComparison.Ordinal);
        Assert.Contains("uploads one on the Agent releases page", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(prefix, "opt")));
    }

    public async ValueTask DisposeAsync()
    {
        if (launcher is not null)
        {
            await launcher.DisposeAsync();
        }

        if (deviceId is not null)
        {
            await DockerEngine.RemoveContainersOfAsync(deviceId);
        }

        admin?.Dispose();
        await portal.DisposeAsync();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private async Task UploadAsync(string version, string file)
    {
        using var form = new MultipartFormDataContent { { new StringContent(version), "version" } };
        var build = new StreamContent(File.OpenRead(file));
        build.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(build, "linux-x64", "portal-agent");
        using var response = await admin.PostAsync(ApiRoutes.AgentReleases, form, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(ct));
    }

    private async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
