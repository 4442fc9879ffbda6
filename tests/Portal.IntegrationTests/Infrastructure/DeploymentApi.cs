using System.Net.Http.Json;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;

namespace Portal.Testing;

/// <summary>Marketplace and deployment calls the way a pipeline or an operator's script makes them.</summary>
public static class DeploymentApi
{
    /// <summary>A busybox web server: writes a page, serves it on 127.0.0.1:PORT with a request log on stderr.</summary>
    public static AppDefinition WebServerApp(string id, string image = "local/busybox:1") => new(
        id, "Busybox web server", "Edge Portal tests", "Testing", "Serves one page on the loopback interface.", null,
        [
            new AppVersion("1", image,
                ["sh", "-c", "mkdir -p /www && echo hello-from-${GREETING} > /www/index.html && exec httpd -f -v -p 127.0.0.1:${PORT} -h /www"],
                Parameters: [new AppParameter("PORT", "int", Required: true), new AppParameter("GREETING", "string", "edge")]),
        ]);

    /// <summary>Sleeps happily, except on the devices whose ids are listed in FAIL_IDS, where it exits at once (and again).</summary>
    public static AppDefinition FlakyApp(string id) => new(
        id, "Flaky worker", "Edge Portal tests", "Testing", "Fails on chosen devices.", null,
        [
            new AppVersion("1", "local/busybox:1",
                ["sh", "-c", "case \" ${FAIL_IDS} \" in *\" $PORTAL_DEVICE_ID \"*) echo failing on purpose; exit 3;; esac; echo working; exec sleep 3600"],
                Parameters: [new AppParameter("FAIL_IDS", "string", "none")]),
            new AppVersion("2", "local/busybox:1",
                ["sh", "-c", "case \" ${FAIL_IDS} \" in *\" $PORTAL_DEVICE_ID \"*) echo v2 failing on purpose; exit 3;; esac; echo v2 working; exec sleep 3600"],
                Parameters: [new AppParameter("FAIL_IDS", "string", "none")]),
        ]);

    public static async Task<AppDto> CreateCertifiedAppAsync(HttpClient admin, AppDefinition app, CancellationToken ct)
    {
        using var created = await admin.PostAsJsonAsync(ApiRoutes.MarketplaceApps, app, ct);
        created.EnsureSuccessStatusCode();
        using var certified = await admin.PostAsJsonAsync(ApiRoutes.MarketplaceAppCertify(app.Id), new CertifyRequest(true), ct);
        certified.EnsureSuccessStatusCode();
        return (await certified.Content.ReadFromJsonAsync<AppDto>(ct))!;
    }

    public static async Task<DeploymentDto> DeployAsync(HttpClient client, CreateDeploymentRequest request, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync(ApiRoutes.Deployments, request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Deploy failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }

        return (await response.Content.ReadFromJsonAsync<DeploymentDto>(ct))!;
    }

    /// <summary>The deployment has devices (the rollout service resolved its targets) and every one is in <paramref name="state"/>.</summary>
    public static bool All(DeploymentDto d, DeviceRolloutState state) => d.Devices is { Count: > 0 } list && list.All(x => x.State == state);

    public static async Task<DeploymentDto> GetAsync(HttpClient client, string id, CancellationToken ct) =>
        (await client.GetFromJsonAsync<DeploymentDto>(ApiRoutes.Deployment(id), ct))!;

    /// <summary>Polls the deployment (as a script would) until <paramref name="done"/> holds; the failure message shows its last state.</summary>
    public static async Task<DeploymentDto> WaitForAsync(HttpClient client, string id, Func<DeploymentDto, bool> done, CancellationToken ct, int seconds = 60, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        DeploymentDto last;
        do
        {
            last = await GetAsync(client, id, ct);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(300, ct);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Deployment {last.Name} is {last.State} ({last.StateReason}); devices: " +
            string.Join("; ", last.Devices?.Select(d => $"{d.DeviceName} {d.State} {d.Reason}") ?? []) + "\n" + context?.Invoke());
    }
}
