using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Users;

namespace Portal.Testing;

/// <summary>Signs in over <c>/api/v1/auth/login</c> as a script would, and calls the API with the bearer token.</summary>
public static class ApiClient
{
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string password, CancellationToken ct) =>
        await client.PostAsJsonAsync(ApiRoutes.Login, new { email, password }, ct);

    public static Task<HttpClient> SignedInAsync(PortalFactory factory, string email, string password, CancellationToken ct) =>
        SignedInAsync(factory.CreateClient(), email, password, ct);

    /// <summary>Signs the client in (any portal: an in-process factory's client or a portal process's address).</summary>
    public static async Task<HttpClient> SignedInAsync(HttpClient client, string email, string password, CancellationToken ct)
    {
        var response = await LoginAsync(client, email, password, ct);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    public static Task<HttpClient> AdminAsync(PortalFactory factory, CancellationToken ct) =>
        SignedInAsync(factory, PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);

    public static async Task<UserDto> CreateUserAsync(HttpClient admin, string email, string password, string role, CancellationToken ct)
    {
        var response = await admin.PostAsJsonAsync(ApiRoutes.Users, new CreateUserRequest(email, password, [role]), ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<UserDto>(ct))!;
    }

    public static async Task<string> CreateEnrollmentTokenAsync(HttpClient admin, string name, CancellationToken ct,
        int uses = 1, IReadOnlyDictionary<string, string>? labels = null)
    {
        using var created = await admin.PostAsJsonAsync(ApiRoutes.EnrollmentTokens, new CreateEnrollmentTokenRequest(name, 1, uses, labels), ct);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<CreatedEnrollmentToken>(ct))!.Secret;
    }

    /// <summary>Enrolls a device over the API, as an agent would, without running one.</summary>
    public static async Task<EnrollResponse> EnrollDeviceAsync(HttpClient admin, string name, CancellationToken ct, IReadOnlyDictionary<string, string>? labels = null)
    {
        var token = await CreateEnrollmentTokenAsync(admin, name, ct, labels: labels);
        using var enrolled = await admin.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest(token, name), ct);
        enrolled.EnsureSuccessStatusCode();
        return (await enrolled.Content.ReadFromJsonAsync<EnrollResponse>(ct))!;
    }
}
