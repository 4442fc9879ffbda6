using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Agent.Enrollment;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;

namespace Portal.Load;

/// <summary>The REST calls a run needs: an admin's bearer token, a many-use enrollment token, enrollment as the agent does it, groups, deployments, devices.</summary>
internal sealed class PortalApi(Uri portal) : IDisposable
{
    private int enrollConflicts;
    private readonly HttpClient http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Enrollments refused as "used up by another device at the same moment" although uses remained.</summary>
    public int EnrollConflicts => enrollConflicts;

    public async Task SignInAsync(string email, string password)
    {
        using var response = await http.PostAsJsonAsync(ApiRoutes.Login, new { email, password });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("accessToken").GetString());
    }

    /// <summary>Enrolls <paramref name="count"/> devices, <paramref name="parallel"/> at a time, with the agent's own enrollment client.</summary>
    public async Task<IReadOnlyList<AgentCredentials>> EnrollAsync(int count, int parallel, IReadOnlyDictionary<string, string> labels)
    {
        using var created = await http.PostAsJsonAsync(ApiRoutes.EnrollmentTokens, new CreateEnrollmentTokenRequest("load", 24, count, labels));
        created.EnsureSuccessStatusCode();
        var token = (await created.Content.ReadFromJsonAsync<CreatedEnrollmentToken>())!.Secret;
        var result = new AgentCredentials[count];
        using var anonymous = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallel }) { Timeout = TimeSpan.FromSeconds(60) };
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            EnrollResponse enrolled;
            while (true)
            {
                try
                {
                    enrolled = await EnrollmentClient.EnrollAsync(anonymous, http.BaseAddress!, token, $"load-{i}", ct);
                    break;
                }
                catch (EnrollmentRefusedException ex) when (ex.Message.Contains("at the same moment", StringComparison.Ordinal))
                {
                    // The portal refuses concurrent enrollments on one token (a concurrency conflict on its use count) even
                    // when uses remain; a real agent would stop here. Counted and reported, then tried again.
                    Interlocked.Increment(ref enrollConflicts);
                }
            }

            result[i] = new AgentCredentials(enrolled.DeviceId, enrolled.DeviceSecret, http.BaseAddress!.ToString(), DateTimeOffset.UtcNow);
        });
        return result;
    }

    public async Task<string> CreateGroupAsync(string name, IReadOnlyDictionary<string, string> selector)
    {
        using var response = await http.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest(name, "load test", selector));
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<GroupDto>())!.Id;
    }

    public async Task<string> DeployModelAsync(string model, int version, string groupId)
    {
        using var response = await http.PostAsJsonAsync(ApiRoutes.Deployments,
            new CreateDeploymentRequest(null, null, $"load {model} v{version}", GroupIds: [groupId], ModelId: model, ModelVersion: version));
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<DeploymentDto>())!.Id;
    }

    public async Task<DeploymentProgress> ProgressAsync(string deploymentId) =>
        (await http.GetFromJsonAsync<DeploymentDto>(ApiRoutes.Deployment(deploymentId)))!.Progress;

    public async Task<int> OnlineDevicesAsync()
    {
        var devices = await http.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices);
        return devices!.Count(d => d.Status == DeviceStatus.Online);
    }

    public void Dispose() => http.Dispose();

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
